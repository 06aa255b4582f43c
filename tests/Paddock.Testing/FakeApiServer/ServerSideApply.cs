using System.Text.Json.Nodes;

namespace Paddock.Testing.FakeApiServer;

/// <summary>A field that a manager's applied configuration set and another manager owns with a different value.</summary>
public sealed record FieldConflict(string Path, string Manager);

/// <summary>
/// A small model of server-side apply. The applied object is flattened into field paths: objects are walked,
/// <c>containers</c> lists are keyed by container name (like the real merge key), every other list is atomic.
/// Each path remembers which managers own it. Applying a path that another manager owns with a different value
/// is a conflict unless forced (force moves ownership). Paths a manager applied before and leaves out now are
/// released, and removed when nobody owns them any more.
/// </summary>
public static class ServerSideApply
{
    private static readonly HashSet<string> Identity = ["apiVersion", "kind", "metadata.name", "metadata.namespace"];

    public static IReadOnlyList<FieldConflict> Apply(
        JsonObject live, JsonObject applied, Dictionary<string, HashSet<string>> owners, string manager, bool force)
    {
        var appliedFields = Flatten(applied).Where(f => !Identity.Contains(f.Key)).ToDictionary(f => f.Key, f => f.Value);
        var liveFields = Flatten(live);

        var conflicts = new List<FieldConflict>();
        foreach (var (path, value) in appliedFields)
        {
            if (!owners.TryGetValue(path, out var pathOwners)) continue;
            var same = liveFields.TryGetValue(path, out var current) && JsonNode.DeepEquals(current, value);
            if (same) continue;
            conflicts.AddRange(pathOwners.Where(o => o != manager).Select(o => new FieldConflict(path, o)));
        }
        if (conflicts.Count > 0 && !force) return conflicts;

        foreach (var (path, value) in appliedFields)
        {
            if (!owners.TryGetValue(path, out var pathOwners)) owners[path] = pathOwners = [];
            var same = liveFields.TryGetValue(path, out var current) && JsonNode.DeepEquals(current, value);
            if (!same) pathOwners.Clear();   // a changed value belongs to the one who changed it
            pathOwners.Add(manager);
            Set(live, path, value?.DeepClone());
        }
        foreach (var (path, pathOwners) in owners.ToList())
        {
            if (appliedFields.ContainsKey(path) || !pathOwners.Remove(manager) || pathOwners.Count > 0) continue;
            owners.Remove(path);
            Remove(live, path);
        }
        return [];
    }

    /// <summary>The field paths of <paramref name="node"/>: <c>spec.template.spec.containers[web].image</c>.</summary>
    public static Dictionary<string, JsonNode?> Flatten(JsonObject node)
    {
        var fields = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        Walk(node, "", fields);
        return fields;
    }

    private static void Walk(JsonObject node, string prefix, Dictionary<string, JsonNode?> fields)
    {
        foreach (var (key, value) in node)
        {
            var path = prefix.Length == 0 ? Escape(key) : $"{prefix}.{Escape(key)}";
            if (path is "status" or "metadata.managedFields" or "metadata.resourceVersion" or "metadata.uid"
                or "metadata.creationTimestamp" or "metadata.generation" or "metadata.deletionTimestamp") continue;
            switch (value)
            {
                case JsonObject child when child.Count > 0:
                    Walk(child, path, fields);
                    break;
                case JsonArray list when key == "containers":
                    foreach (var container in list.OfType<JsonObject>())
                        Walk(container, $"{path}[{container["name"]?.GetValue<string>()}]", fields);
                    break;
                default:
                    fields[path] = value;
                    break;
            }
        }
    }

    private static void Set(JsonObject root, string path, JsonNode? value)
    {
        var (parent, last) = Parent(root, path, create: true);
        if (parent is not null) parent[last] = value;
    }

    private static void Remove(JsonObject root, string path)
    {
        var (parent, last) = Parent(root, path, create: false);
        parent?.Remove(last);
    }

    private static (JsonObject? Parent, string Last) Parent(JsonObject root, string path, bool create)
    {
        var segments = Segments(path);
        JsonObject current = root;
        foreach (var segment in segments[..^1])
        {
            var (name, key) = segment;
            if (current[name] is not JsonNode next)
            {
                if (!create) return (null, "");
                next = key is null ? new JsonObject() : new JsonArray();
                current[name] = next;
            }
            if (key is null)
            {
                if (next is not JsonObject obj) return (null, "");
                current = obj;
                continue;
            }
            var list = (JsonArray)next;
            var item = list.OfType<JsonObject>().FirstOrDefault(c => c["name"]?.GetValue<string>() == key);
            if (item is null)
            {
                if (!create) return (null, "");
                item = new JsonObject { ["name"] = key };
                list.Add(item);
            }
            current = item;
        }
        return (current, segments[^1].Name);
    }

    /// <summary>"a.b[web].c" → (a), (b, web), (c). Dots inside keys (label keys such as "paddock.dev/app") are escaped.</summary>
    private static List<(string Name, string? Key)> Segments(string path)
    {
        var segments = new List<(string, string?)>();
        foreach (var raw in SplitOutsideBrackets(path))
        {
            var part = raw.Replace("\\.", ".", StringComparison.Ordinal);
            var open = part.IndexOf('[');
            segments.Add(open < 0 ? (part, null) : (part[..open], part[(open + 1)..^1]));
        }
        return segments;
    }

    private static string Escape(string key) => key.Replace(".", "\\.", StringComparison.Ordinal);

    /// <summary>The path as the real server prints it in a conflict: <c>.metadata.labels.paddock.dev/app</c>.</summary>
    public static string Display(string path) => "." + path.Replace("\\.", ".", StringComparison.Ordinal);

    private static IEnumerable<string> SplitOutsideBrackets(string path)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '[') depth++;
            else if (path[i] == ']') depth--;
            else if (path[i] == '.' && depth == 0 && (i == 0 || path[i - 1] != '\\'))
            {
                yield return path[start..i];
                start = i + 1;
            }
        }
        yield return path[start..];
    }
}
