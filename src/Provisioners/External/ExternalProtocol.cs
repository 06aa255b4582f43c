using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Paddock.Provisioners.External;

/// <summary>The JSON an external provisioner reads on stdin (docs/external-provisioners.md).</summary>
internal sealed record ExternalRequest(
    int Protocol,
    string Operation,
    Guid EnvironmentId,
    string ResourceId,
    string Uid,
    string Type,
    string Class,
    JsonObject? Params,
    string? State,
    ExternalClassSettings ClassSettings,
    string? SnapshotDirectory);

internal sealed record ExternalClassSettings(IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string> Secrets);

/// <summary>The JSON object an external provisioner answers on stdout; which members count depends on the
/// operation, and <see cref="Error"/> set means it failed.</summary>
internal sealed record ExternalAnswer(
    Dictionary<string, string>? Values,
    Dictionary<string, string>? Secrets,
    string? State,
    bool? Present,
    string? Reason,
    string? SnapshotPath,
    string? Error);

internal static class ExternalProtocol
{
    public const int Version = 1;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // A misspelt member is a mistake the author should hear about, not an output silently lost.
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };
}
