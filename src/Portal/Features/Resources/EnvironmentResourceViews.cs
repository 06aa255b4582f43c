using Paddock.Domain.Resources;

namespace Paddock.Portal.Features.Resources;

/// <summary>A resource of an environment as the API and the environment page show it: secret outputs by name only,
/// their value masked.</summary>
public sealed record EnvironmentResourceView(
    string Name,
    string Type,
    string Class,
    string Id,
    string Status,
    string? Reason,
    IReadOnlyDictionary<string, string> Outputs,
    IReadOnlyList<string> SecretOutputs,
    DateTime UpdatedAt)
{
    public const string Mask = "(secret)";

    public static EnvironmentResourceView Of(EnvironmentResource resource)
    {
        var outputs = new SortedDictionary<string, string>(resource.Values, StringComparer.Ordinal);
        foreach (var name in resource.ProtectedSecrets.Keys) outputs[name] = Mask;
        return new EnvironmentResourceView(resource.Name, resource.Type, resource.Class, resource.ResourceId, resource.Status.ToString(),
            resource.Reason, outputs, resource.ProtectedSecrets.Keys.Order(StringComparer.Ordinal).ToList(), resource.UpdatedAt);
    }
}
