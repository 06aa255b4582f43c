using System.Text.Json;

namespace Paddock.Domain.Applications;

/// <summary>A container of a workload beside its main one (the one the environment's URL routes to). It runs in
/// every instance next to the main container and shares its network: the containers of one instance reach each other
/// on localhost, as in a Kubernetes pod. <paramref name="Command"/> replaces the image's entrypoint and
/// <paramref name="Args"/> its command (null keeps the image's own), as Score and Kubernetes define them.
/// <paramref name="SecretNames"/> are application secrets this container receives, each under its own name (their
/// values travel with the deployment's pinned versions, never here).</summary>
public sealed record SidecarContainer(
    string Name,
    string Image,
    IReadOnlyList<string>? Command,
    IReadOnlyList<string>? Args,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyList<string> SecretNames,
    ResourceLimits Limits)
{
    /// <summary>A container name as Score and Kubernetes accept it (a DNS label), and short enough to name a Docker
    /// container after its instance.</summary>
    public const int MaxNameLength = 40;

    private static readonly JsonSerializerOptions KeyJson = new(JsonSerializerDefaults.Web);

    /// <summary>Whether two lists of sidecars run the same thing (the record compares lists and maps by reference).</summary>
    public static bool Same(IReadOnlyList<SidecarContainer>? a, IReadOnlyList<SidecarContainer>? b) =>
        Key(a) == Key(b);

    /// <summary>A value key: no sidecars and an empty list are the same.</summary>
    public static string Key(IReadOnlyList<SidecarContainer>? sidecars) =>
        sidecars is null or { Count: 0 } ? "" : JsonSerializer.Serialize(sidecars.Select(s => new
        {
            s.Name, s.Image, s.Command, s.Args,
            Variables = s.Variables.OrderBy(v => v.Key, StringComparer.Ordinal).ToList(),
            SecretNames = s.SecretNames.Order(StringComparer.Ordinal).ToList(),
            s.Limits,
        }), KeyJson);
}
