namespace Paddock.Portal.Components.Shared;

public sealed class VariableRow
{
    public string? Name { get; set; }
    public string? Value { get; set; }

    public static List<VariableRow> From(IReadOnlyDictionary<string, string> variables) =>
        variables.Select(v => new VariableRow { Name = v.Key, Value = v.Value }).ToList();

    /// <summary>The rows as a full map (blank names skipped); the last row wins on repeated names.</summary>
    public static Dictionary<string, string?> ToMap(IEnumerable<VariableRow> rows)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => !string.IsNullOrWhiteSpace(r.Name))) map[row.Name!.Trim()] = row.Value ?? "";
        return map;
    }

    /// <summary>A merge patch from <paramref name="before"/> to the rows: changed and new entries, null for removed ones.</summary>
    public static Dictionary<string, string?> Patch(IReadOnlyDictionary<string, string> before, IEnumerable<VariableRow> rows)
    {
        var after = ToMap(rows);
        var patch = after.Where(a => !before.TryGetValue(a.Key, out var old) || old != a.Value).ToDictionary(a => a.Key, a => a.Value);
        foreach (var name in before.Keys.Where(n => !after.ContainsKey(n))) patch[name] = null;
        return patch;
    }
}

/// <summary>A secret in an editor: an existing one (by name and version) or a new one; the value is only ever typed in.</summary>
public sealed class SecretRow
{
    public string? Name { get; set; }
    public int? Version { get; init; }
    public string? NewValue { get; set; }
    public bool Remove { get; set; }

    public bool IsNew => Version is null;

    /// <summary>Only what changes: new values, and null for removals. Untouched secrets are not sent.</summary>
    public static Dictionary<string, string?> Changes(IEnumerable<SecretRow> rows)
    {
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => !string.IsNullOrWhiteSpace(r.Name)))
        {
            if (row.Remove && !row.IsNew) changes[row.Name!.Trim()] = null;
            else if (!string.IsNullOrEmpty(row.NewValue)) changes[row.Name!.Trim()] = row.NewValue;
        }
        return changes;
    }
}
