using System.Text.Json;

namespace Paddock.Portal.Components.Pages.Audit;

public sealed record DiffLine(string Field, string? Before, string? After)
{
    public bool Changed => Before != After;
}

/// <summary>Lines up an audit event's before and after snapshots field by field (nested objects by dotted path),
/// so the page can highlight what changed.</summary>
public static class SnapshotDiff
{
    public static IReadOnlyList<DiffLine> Between(JsonElement? before, JsonElement? after)
    {
        var left = Flatten(before);
        var right = Flatten(after);
        return left.Keys.Union(right.Keys).Order(StringComparer.Ordinal)
            .Select(k => new DiffLine(k, left.GetValueOrDefault(k), right.GetValueOrDefault(k)))
            .ToList();
    }

    private static Dictionary<string, string> Flatten(JsonElement? element)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element is { } e) Add(fields, "", e);
        return fields;
    }

    private static void Add(Dictionary<string, string> fields, string path, JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Object && element.EnumerateObject().Any())
        {
            foreach (var property in element.EnumerateObject())
                Add(fields, path.Length == 0 ? property.Name : $"{path}.{property.Name}", property.Value);
            return;
        }
        fields[path.Length == 0 ? "(value)" : path] = element.ValueKind switch
        {
            JsonValueKind.String => element.GetString()!,
            JsonValueKind.Null => "null",
            _ => element.GetRawText(),
        };
    }
}
