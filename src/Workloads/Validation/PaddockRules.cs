using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Paddock.Workloads.Model;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Source;

namespace Paddock.Workloads.Validation;

/// <summary>
/// Checks the schema cannot express: resource types Paddock can provision, placeholders that name something
/// real, container start order without cycles, resource params without cycles, binary file content that decodes.
/// The placeholder and start-order checks follow the reference implementation (score-go's loader).
/// </summary>
internal static partial class PaddockRules
{
    public static IEnumerable<WorkloadError> Check(Workload workload, SourceDocument source, WorkloadRules rules)
    {
        foreach (var (name, resource) in workload.Resources)
        {
            if (!rules.ProvisionableResourceTypes.Contains(resource.Type))
                yield return source.Error(Pointer.Of("resources", name, "type"),
                    $"Paddock cannot provision resources of type \"{resource.Type}\" (it can provision: " +
                    $"{string.Join(", ", rules.ProvisionableResourceTypes.Order(StringComparer.Ordinal))}).");
        }

        foreach (var (pointer, text) in PlaceholderSites(workload))
            foreach (var reference in Template.Parse(text).References)
                if (ReferenceProblem(reference, workload) is { } problem)
                    yield return source.Error(pointer, $"{reference}: {problem}");

        foreach (var error in StartOrderErrors(workload, source)) yield return error;

        var (_, cycles) = ResourceOrder.Compute(workload);
        foreach (var cycle in cycles) yield return source.Error(cycle.Pointer, cycle.Message);

        foreach (var (containerName, container) in workload.Containers)
            foreach (var (target, file) in container.Files)
                if (file.BinaryContent is { } binary && !IsBase64(binary))
                    yield return source.Error(Pointer.Of("containers", containerName, "files", target, "binaryContent"),
                        "binaryContent is not valid standard base64.");
    }

    /// <summary>Where Score expands placeholders, with the pointer of each string.</summary>
    private static IEnumerable<(string Pointer, string Text)> PlaceholderSites(Workload workload)
    {
        foreach (var (name, container) in workload.Containers)
        {
            foreach (var (key, value) in container.Variables)
                yield return (Pointer.Of("containers", name, "variables", key), value);
            foreach (var (target, file) in container.Files)
                if (file.ExpandsPlaceholders)
                    yield return (Pointer.Of("containers", name, "files", target, "content"), file.Content!);
            foreach (var (target, volume) in container.Volumes)
                yield return (Pointer.Of("containers", name, "volumes", target, "source"), volume.Source);
        }
        foreach (var (name, resource) in workload.Resources)
            foreach (var (pointer, text) in StringsWithPointers(resource.Params, Pointer.Of("resources", name, "params")))
                yield return (pointer, text);
    }

    private static IEnumerable<(string, string)> StringsWithPointers(JsonNode? node, string pointer) => node switch
    {
        JsonObject obj => obj.SelectMany(p => StringsWithPointers(p.Value, Pointer.Append(pointer, p.Key))),
        JsonArray array => array.SelectMany((x, i) => StringsWithPointers(x, Pointer.Append(pointer, i))),
        JsonValue value when value.TryGetValue<string>(out var s) => [(pointer, s)],
        _ => [],
    };

    private static string? ReferenceProblem(Reference reference, Workload workload)
    {
        if (reference.Path.Count < 2 || reference.Path.Any(p => !PlaceholderPart().IsMatch(p)))
            return "the placeholder is malformed: it is two or more names separated by dots, each of letters, digits, " +
                   "'_', '-' or '/' (write \\. for a dot inside a name), as in ${resources.db.host}.";
        return reference.Root switch
        {
            "metadata" => null,
            "resources" when !workload.Resources.ContainsKey(reference.Path[1]) =>
                $"the workload has no resource named \"{reference.Path[1]}\".",
            "resources" => null,
            _ => $"unknown placeholder root \"{reference.Root}\": only metadata and resources can be referenced (write $$ for a literal $).",
        };
    }

    private static IEnumerable<WorkloadError> StartOrderErrors(Workload workload, SourceDocument source)
    {
        var waitsFor = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, container) in workload.Containers)
        {
            waitsFor[name] = [];
            foreach (var other in container.Before.Keys)
            {
                var at = Pointer.Of("containers", name, "before", other);
                if (other == name) yield return source.Error(at, $"Container \"{name}\" cannot start before itself.");
                else if (!workload.Containers.ContainsKey(other)) yield return source.Error(at, $"There is no container named \"{other}\".");
                else waitsFor[name].Add(other);
            }
        }

        var done = new HashSet<string>();
        var visiting = new HashSet<string>();
        foreach (var name in waitsFor.Keys)
            if (HasCycle(name))
            {
                yield return source.Error("/containers", "The containers' \"before\" relations form a cycle.");
                yield break;
            }

        bool HasCycle(string name)
        {
            if (done.Contains(name)) return false;
            if (!visiting.Add(name)) return true;
            var cycle = waitsFor[name].Any(HasCycle);
            visiting.Remove(name);
            done.Add(name);
            return cycle;
        }
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    [GeneratedRegex(@"^[A-Za-z0-9_./-]+$")]
    private static partial Regex PlaceholderPart();
}
