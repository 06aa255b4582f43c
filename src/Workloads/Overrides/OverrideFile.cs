using System.Text.Json.Nodes;
using Paddock.Workloads.Source;

namespace Paddock.Workloads.Overrides;

/// <summary>
/// An environment's override as a file, shaped like a partial Score workload as score-compose's override files
/// are (a null value removes a variable), plus Paddock's <c>replicas</c>:
/// <code>
/// replicas: 2
/// containers:
///   web:
///     image: shop:2
///     variables: { LOG_LEVEL: debug, OLD_FLAG: null }
/// </code>
/// Secrets never live in a file: they are set in Paddock and joined to the override when it is applied.
/// </summary>
public static class OverrideFile
{
    public static OverrideReadResult Read(string text)
    {
        var read = SourceDocument.Read(text);
        if (read.Document is not { } source) return new OverrideReadResult(null, read.Errors);
        var errors = new List<WorkloadError>();
        if (source.Root is not JsonObject root)
            return new OverrideReadResult(null, [source.Error("", "An override is a map with \"replicas\" and \"containers\".")]);

        int? replicas = null;
        var containers = new SortedDictionary<string, ContainerOverride>(StringComparer.Ordinal);
        foreach (var (key, value) in root)
        {
            var at = Pointer.Append("", key);
            switch (key)
            {
                case "replicas" when value is JsonValue v && v.TryGetValue<long>(out var count) && count is >= 0 and <= 1000:
                    replicas = (int)count;
                    break;
                case "replicas":
                    errors.Add(source.Error(at, "replicas is a whole number from 0 to 1000."));
                    break;
                case "containers" when value is JsonObject map:
                    foreach (var (name, container) in map)
                        if (ReadContainer(source, Pointer.Append(at, name), container, errors) is { } read1) containers[name] = read1;
                    break;
                case "containers":
                    errors.Add(source.Error(at, "containers is a map of container names to their overrides."));
                    break;
                default:
                    errors.Add(source.KeyError(at, $"An override has no property \"{key}\" (it has replicas and containers)."));
                    break;
            }
        }
        return errors.Count > 0
            ? new OverrideReadResult(null, errors)
            : new OverrideReadResult(new WorkloadOverride(replicas, containers), []);
    }

    private static ContainerOverride? ReadContainer(SourceDocument source, string at, JsonNode? node, List<WorkloadError> errors)
    {
        if (node is not JsonObject container)
        {
            errors.Add(source.Error(at, "A container's override is a map with \"image\" and \"variables\"."));
            return null;
        }
        string? image = null;
        var variables = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in container)
        {
            var keyAt = Pointer.Append(at, key);
            switch (key)
            {
                case "image" when value is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0:
                    image = text;
                    break;
                case "image":
                    errors.Add(source.Error(keyAt, "image is a non-empty string."));
                    break;
                case "variables" when value is JsonObject map:
                    foreach (var (name, variable) in map)
                    {
                        if (variable is null) variables[name] = null;
                        else if (variable is JsonValue s && s.TryGetValue<string>(out var text2)) variables[name] = text2;
                        else errors.Add(source.Error(Pointer.Append(keyAt, name), "A variable is a string, or null to remove it."));
                    }
                    break;
                case "variables":
                    errors.Add(source.Error(keyAt, "variables is a map of names to strings (null removes one)."));
                    break;
                case "secrets":
                    errors.Add(source.KeyError(keyAt, "Secrets are not written in files: set them in Paddock for the environment."));
                    break;
                default:
                    errors.Add(source.KeyError(keyAt, $"A container's override has no property \"{key}\" (it has image and variables)."));
                    break;
            }
        }
        return new ContainerOverride(image, variables, new Dictionary<string, string>());
    }

    /// <summary>The override as a file: everything but its secrets, which stay in Paddock.</summary>
    public static string ToYaml(WorkloadOverride environmentOverride)
    {
        var root = new JsonObject();
        if (environmentOverride.Containers.Count > 0)
        {
            var containers = new JsonObject();
            foreach (var (name, container) in environmentOverride.Containers.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                var json = new JsonObject();
                if (container.Image is not null) json["image"] = container.Image;
                if (container.Variables.Count > 0)
                    json["variables"] = new JsonObject(container.Variables.OrderBy(v => v.Key, StringComparer.Ordinal)
                        .Select(v => KeyValuePair.Create(v.Key, v.Value is null ? null : (JsonNode)JsonValue.Create(v.Value))));
                containers[name] = json;
            }
            root["containers"] = containers;
        }
        if (environmentOverride.Replicas is { } replicas) root["replicas"] = replicas;
        return Export.WorkloadExport.ToYaml(root);
    }
}

public sealed record OverrideReadResult(WorkloadOverride? Override, IReadOnlyList<WorkloadError> Errors);
