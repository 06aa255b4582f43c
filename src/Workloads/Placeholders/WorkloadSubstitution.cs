using System.Text.Json.Nodes;
using Paddock.Workloads.Export;
using Paddock.Workloads.Model;
using Paddock.Workloads.Source;

namespace Paddock.Workloads.Placeholders;

/// <summary>
/// Puts values in place of a workload's placeholders, where Score allows them: container variables, file
/// contents (unless noExpand), volume sources and resource params. Every reference that cannot be resolved
/// is an error at its place; all of them are reported at once.
/// </summary>
public static class WorkloadSubstitution
{
    /// <param name="source">The submitted text, when at hand, to give errors a line and column.</param>
    public static SubstitutionResult Resolve(Workload workload, ResourceOutputs outputs, SourceDocument? source = null)
    {
        var errors = new List<WorkloadError>();
        var metadata = CanonicalWorkload.ToJson(workload)["metadata"]!.AsObject();

        ConfigValue Substitute(string text, string pointer)
        {
            var values = new List<ConfigValue>();
            foreach (var part in Template.Parse(text).Parts)
            {
                if (part is Literal literal) { values.Add(ConfigValue.Plain(literal.Text)); continue; }
                var reference = (Reference)part;
                var (value, problem) = Lookup(reference, workload, metadata, outputs);
                if (problem is not null)
                    errors.Add(new WorkloadError(pointer, source?.PositionOf(pointer), $"{reference}: {problem}"));
                else values.Add(value!);
            }
            return ConfigValue.Concat(values);
        }

        var containers = new SortedDictionary<string, ResolvedContainer>(StringComparer.Ordinal);
        foreach (var (name, container) in workload.Containers)
        {
            containers[name] = new ResolvedContainer(
                Sorted(container.Variables.Select(v => (v.Key, Substitute(v.Value, Pointer.Of("containers", name, "variables", v.Key))))),
                Sorted(container.Files
                    .Where(f => f.Value.Content is not null)
                    .Select(f => (f.Key, f.Value.ExpandsPlaceholders
                        ? Substitute(f.Value.Content!, Pointer.Of("containers", name, "files", f.Key, "content"))
                        : ConfigValue.Plain(f.Value.Content!)))),
                Sorted(container.Volumes.Select(v => (v.Key,
                    Substitute(v.Value.Source, Pointer.Of("containers", name, "volumes", v.Key, "source"))))));
        }

        var resourceParams = new SortedDictionary<string, ResolvedParams>(StringComparer.Ordinal);
        foreach (var (name, resource) in workload.Resources)
        {
            var holdsSecret = false;
            JsonNode? Walk(JsonNode? node, string pointer) => node switch
            {
                JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Walk(p.Value, Pointer.Append(pointer, p.Key))))),
                JsonArray array => new JsonArray(array.Select((x, i) => Walk(x, Pointer.Append(pointer, i))).ToArray()),
                JsonValue value when value.TryGetValue<string>(out var text) => Resolved(Substitute(text, pointer)),
                _ => node?.DeepClone(),
            };
            JsonNode Resolved(ConfigValue value)
            {
                holdsSecret |= value.IsSecret;
                return JsonValue.Create(value.Text);
            }
            var resolved = (JsonObject?)Walk(resource.Params, Pointer.Of("resources", name, "params"));
            resourceParams[name] = new ResolvedParams(resolved, holdsSecret);
        }

        var (_, cycles) = ResourceOrder.Compute(workload);
        errors.AddRange(cycles.Select(e => e with { Position = source?.PositionOf(e.Pointer) }));

        return errors.Count > 0
            ? new SubstitutionResult(null, errors)
            : new SubstitutionResult(new ResolvedWorkload(containers, resourceParams), []);
    }

    /// <summary>The value a reference stands for, or why it stands for none.</summary>
    private static (ConfigValue? Value, string? Problem) Lookup(
        Reference reference, Workload workload, JsonObject metadata, ResourceOutputs outputs)
    {
        var path = reference.Path;
        switch (reference.Root)
        {
            case "metadata":
                if (path.Count < 2) return (null, "name a metadata key, as in ${metadata.name}.");
                JsonNode? node = metadata;
                for (var i = 1; i < path.Count; i++)
                {
                    if (node is not JsonObject obj || !obj.TryGetPropertyValue(path[i], out node))
                        return (null, $"the workload's metadata has no \"{string.Join(".", path.Skip(1).Take(i))}\".");
                }
                return (ConfigValue.Plain(node is JsonValue v && v.TryGetValue<string>(out var s) ? s : CanonicalWorkload.Text(node)), null);

            case "resources":
                if (path.Count < 2) return (null, "name a resource, as in ${resources.db.host}.");
                if (!workload.Resources.TryGetValue(path[1], out var resource))
                    return (null, $"the workload has no resource named \"{path[1]}\".");
                if (path.Count > 3)
                    return (null, $"outputs have no parts: use ${{resources.{path[1]}.<output>}} (write \\. for a dot inside a name).");
                var offered = outputs.Of(path[1]);
                if (offered is null && outputs.UnprovisionedAreKnownAfterApply && resource.Type != EnvironmentValues.ResourceType)
                    return (ConfigValue.Pending(reference.ToString()), null);
                if (offered is null)
                    return (null, $"resource \"{path[1]}\" ({resource.Type}) has no outputs yet.");
                var output = path.Count == 3 ? path[2] : ResourceOutputs.Self;
                if (offered.TryGetValue(output, out var value)) return (value, null);
                var known = offered.Keys.Where(k => k != ResourceOutputs.Self).Order(StringComparer.Ordinal).ToList();
                var what = output == ResourceOutputs.Self ? "cannot be used whole; name one of its outputs" : $"has no output \"{output}\"";
                return (null, $"resource \"{path[1]}\" ({resource.Type}) {what}" +
                              (known.Count > 0 ? $" (it has: {string.Join(", ", known)})." : " (it has none)."));

            default:
                return (null, $"unknown placeholder root \"{reference.Root}\": only metadata and resources can be referenced (write $$ for a literal $).");
        }
    }

    private static IReadOnlyDictionary<string, ConfigValue> Sorted(IEnumerable<(string Key, ConfigValue Value)> items)
    {
        var map = new SortedDictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var (key, value) in items) map[key] = value;
        return map;
    }
}

public sealed record SubstitutionResult(ResolvedWorkload? Resolved, IReadOnlyList<WorkloadError> Errors)
{
    public bool Succeeded => Resolved is not null;
}
