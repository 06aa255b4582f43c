using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paddock.Persistence;

/// <summary>How before/after snapshots are written into the audit trail: stable camelCase JSON, enums as names.</summary>
public static class AuditJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string? Serialize(object? snapshot) => snapshot is null ? null : JsonSerializer.Serialize(snapshot, snapshot.GetType(), Options);
}
