using System.Text.Json.Nodes;
using Paddock.Workloads.Export;
using Paddock.Workloads.Model;
using Paddock.Workloads.Overrides;
using Paddock.Workloads.Placeholders;

namespace Paddock.Workloads.Planning;

/// <summary>
/// Compares what an environment runs (or nothing) with what it would run, and says what changes. Pure:
/// the same two inputs always give the same plan. Values are compared after substitution, so a changed
/// environment secret or output shows even when the workload file did not change.
/// </summary>
public static class WorkloadPlanner
{
    public static WorkloadPlan Plan(EffectiveWorkload? current, EffectiveWorkload next, PlanOptions? options = null)
    {
        options ??= PlanOptions.Default;
        return new WorkloadPlan(
            WorkloadChanges(current, next),
            ContainerPlans(current, next),
            ResourcePlans(current, next, options),
            CanonicalWorkload.ContentHash(next.Workload));
    }

    private static List<FieldChange> WorkloadChanges(EffectiveWorkload? current, EffectiveWorkload next)
    {
        var changes = new List<FieldChange>();
        if (current is null) return changes;
        Compare(changes, "replicas", current.Replicas.ToString(), next.Replicas.ToString());
        var before = CanonicalWorkload.ToJson(current.Workload);
        var after = CanonicalWorkload.ToJson(next.Workload);
        Compare(changes, "metadata", Text(before["metadata"]), Text(after["metadata"]));
        foreach (var port in Keys(current.Workload.Ports, next.Workload.Ports))
            Compare(changes, $"service.ports.{port}",
                Text(current.Workload.Ports.TryGetValue(port, out var b) ? CanonicalWorkload.PortJson(b) : null),
                Text(next.Workload.Ports.TryGetValue(port, out var a) ? CanonicalWorkload.PortJson(a) : null));
        return changes;
    }

    private static List<ContainerPlan> ContainerPlans(EffectiveWorkload? current, EffectiveWorkload next)
    {
        var plans = new List<ContainerPlan>();
        var currentContainers = current?.Workload.Containers ?? new Dictionary<string, Container>();
        foreach (var name in Keys(currentContainers, next.Workload.Containers))
        {
            var before = currentContainers.GetValueOrDefault(name);
            var after = next.Workload.Containers.GetValueOrDefault(name);
            var resolvedBefore = before is null ? null : current!.Resolved.Containers[name];
            var resolvedAfter = after is null ? null : next.Resolved.Containers[name];

            var changes = new List<FieldChange>();
            Compare(changes, "image", before?.Image, after?.Image);
            Compare(changes, "command", List(before?.Command), List(after?.Command));
            Compare(changes, "args", List(before?.Args), List(after?.Args));
            Compare(changes, "livenessProbe", Probe(before?.LivenessProbe), Probe(after?.LivenessProbe));
            Compare(changes, "readinessProbe", Probe(before?.ReadinessProbe), Probe(after?.ReadinessProbe));
            Compare(changes, "resources.limits", Amounts(before?.Resources?.Limits), Amounts(after?.Resources?.Limits));
            Compare(changes, "resources.requests", Amounts(before?.Resources?.Requests), Amounts(after?.Resources?.Requests));
            Compare(changes, "before", Text(BeforeJson(before)), Text(BeforeJson(after)));
            FileChanges(changes, before, after, resolvedBefore, resolvedAfter);
            VolumeChanges(changes, before, after, resolvedBefore, resolvedAfter);
            var variables = VariableChanges(resolvedBefore?.Variables, resolvedAfter?.Variables);

            var action = (before, after) switch
            {
                (null, _) => PlanAction.Create,
                (_, null) => PlanAction.Delete,
                _ when changes.Count > 0 || variables.Count > 0 => PlanAction.Update,
                _ => PlanAction.Keep,
            };
            if (action != PlanAction.Keep) plans.Add(new ContainerPlan(name, action, changes, variables));
        }
        return plans;
    }

    private static void FileChanges(List<FieldChange> changes, Container? before, Container? after,
        ResolvedContainer? resolvedBefore, ResolvedContainer? resolvedAfter)
    {
        var empty = new Dictionary<string, ContainerFile>();
        foreach (var target in Keys(before?.Files ?? empty, after?.Files ?? empty))
        {
            var (fileBefore, fileAfter) = (before?.Files.GetValueOrDefault(target), after?.Files.GetValueOrDefault(target));
            var (contentBefore, contentAfter) = (resolvedBefore?.FileContents.GetValueOrDefault(target), resolvedAfter?.FileContents.GetValueOrDefault(target));
            if (contentBefore?.IsSecret != true && contentAfter?.IsSecret != true)
            {
                Compare(changes, $"files.{target}", FileText(fileBefore, contentBefore?.Text), FileText(fileAfter, contentAfter?.Text));
                continue;
            }
            // A file that takes a secret shows its mode and where it comes from, never its content: only whether that changes.
            var contentChanged = fileBefore is not null && fileAfter is not null && (contentBefore != contentAfter || contentAfter?.IsKnown == false);
            Compare(changes, $"files.{target}", FileText(fileBefore, SecretContent), FileText(fileAfter, contentChanged ? SecretContentChanged : SecretContent));
        }
    }

    private const string SecretContent = "(secret content)";
    private const string SecretContentChanged = "(secret content, changed)";

    private static string? FileText(ContainerFile? file, string? content)
    {
        if (file is null) return null;
        var json = CanonicalWorkload.FileJson(file);
        if (content is not null) json["content"] = content;
        return Text(json);
    }

    private static void VolumeChanges(List<FieldChange> changes, Container? before, Container? after,
        ResolvedContainer? resolvedBefore, ResolvedContainer? resolvedAfter)
    {
        var empty = new Dictionary<string, ContainerVolume>();
        foreach (var target in Keys(before?.Volumes ?? empty, after?.Volumes ?? empty))
        {
            string? VolumeText(Container? c, ResolvedContainer? r)
            {
                if (c?.Volumes.GetValueOrDefault(target) is not { } volume) return null;
                var json = CanonicalWorkload.VolumeJson(volume);
                json["source"] = r!.VolumeSources[target].Text;
                return Text(json);
            }
            var secret = resolvedBefore?.VolumeSources.GetValueOrDefault(target)?.IsSecret == true
                         || resolvedAfter?.VolumeSources.GetValueOrDefault(target)?.IsSecret == true;
            Compare(changes, $"volumes.{target}", VolumeText(before, resolvedBefore), VolumeText(after, resolvedAfter), secret);
        }
    }

    private static List<VariableChange> VariableChanges(
        IReadOnlyDictionary<string, ConfigValue>? before, IReadOnlyDictionary<string, ConfigValue>? after)
    {
        var changes = new List<VariableChange>();
        before ??= new Dictionary<string, ConfigValue>();
        after ??= new Dictionary<string, ConfigValue>();
        foreach (var name in Keys(before, after))
        {
            var b = before.GetValueOrDefault(name);
            var a = after.GetValueOrDefault(name);
            var secret = b?.IsSecret == true || a?.IsSecret == true;
            VariableChangeKind? kind = (b, a) switch
            {
                (null, _) => VariableChangeKind.Added,
                (_, null) => VariableChangeKind.Removed,
                // A value known only after apply may come out the same, but the plan cannot promise it.
                _ when b != a || !a.IsKnown => VariableChangeKind.Changed,
                _ => null,
            };
            if (kind is { } k)
                changes.Add(new VariableChange(name, k, secret, Shown(b, secret), Shown(a, secret)));
        }
        return changes;
    }

    private static string? Shown(ConfigValue? value, bool secret) =>
        value is null || secret ? null : value.IsKnown ? value.Text : ConfigValue.KnownAfterApply;

    private static List<ResourcePlan> ResourcePlans(EffectiveWorkload? current, EffectiveWorkload next, PlanOptions options)
    {
        var plans = new List<ResourcePlan>();
        var currentResources = current?.Workload.Resources ?? new Dictionary<string, ResourceRequest>();
        foreach (var name in Keys(currentResources, next.Workload.Resources))
        {
            var before = currentResources.GetValueOrDefault(name);
            var after = next.Workload.Resources.GetValueOrDefault(name);
            var changes = new List<FieldChange>();
            Compare(changes, "type", before?.Type, after?.Type);
            Compare(changes, "class", before?.Class, after?.Class);
            Compare(changes, "id", before?.Id, after?.Id);
            var identityChanged = changes.Count > 0;
            var paramsBefore = before is null ? null : current!.Resolved.ResourceParams[name];
            var paramsAfter = after is null ? null : next.Resolved.ResourceParams[name];
            Compare(changes, "params", Text(paramsBefore?.Params), Text(paramsAfter?.Params),
                paramsBefore?.HoldsSecret == true || paramsAfter?.HoldsSecret == true);
            Compare(changes, "metadata", Text(before?.Metadata), Text(after?.Metadata));

            var action = (before, after) switch
            {
                (null, _) => PlanAction.Create,
                (_, null) => PlanAction.Delete,
                // Another type, class or id is another resource: the old one goes, a new one comes.
                _ when identityChanged => PlanAction.Replace,
                _ when changes.Count > 0 => PlanAction.Update,
                _ => PlanAction.Keep,
            };
            if (action is PlanAction.Create or PlanAction.Delete) changes.Clear();
            var type = (after ?? before)!.Type;
            var dataLoss = action is PlanAction.Delete or PlanAction.Replace && options.StatefulResourceTypes.Contains(before!.Type);
            plans.Add(new ResourcePlan(name, type, action, dataLoss, changes));
        }
        return plans;
    }

    private static void Compare(List<FieldChange> changes, string field, string? before, string? after, bool isSecret = false)
    {
        if (before == after) return;
        changes.Add(isSecret ? new FieldChange(field, null, null, true) : new FieldChange(field, before, after));
    }

    private static IEnumerable<string> Keys<T>(IReadOnlyDictionary<string, T> a, IReadOnlyDictionary<string, T> b) =>
        a.Keys.Union(b.Keys).Order(StringComparer.Ordinal);

    private static string? Text(JsonNode? node) => node is null ? null : CanonicalWorkload.Text(node);
    private static string? List(IReadOnlyList<string>? items) =>
        items is null ? null : Text(new JsonArray(items.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()));
    private static string? Probe(Probe? probe) => probe is null ? null : Text(CanonicalWorkload.ProbeJson(probe));
    private static string? Amounts(ResourceAmounts? amounts) => amounts is null ? null : Text(CanonicalWorkload.AmountsJson(amounts));
    private static JsonObject? BeforeJson(Container? container) =>
        container is null || container.Before.Count == 0 ? null
        : new(container.Before.Select(b => KeyValuePair.Create(b.Key, (JsonNode?)JsonValue.Create(b.Value))));
}
