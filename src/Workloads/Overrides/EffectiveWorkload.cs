using Paddock.Workloads.Model;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Source;

namespace Paddock.Workloads.Overrides;

/// <summary>
/// What one environment runs: the workload with the environment's override applied, its replicas, and the
/// values its placeholders stand for there. Plans compare two of these.
/// </summary>
public sealed record EffectiveWorkload(Workload Workload, int Replicas, ResolvedWorkload Resolved)
{
    public const int DefaultReplicas = 1;

    /// <summary>Applies <paramref name="environmentOverride"/> to <paramref name="workload"/> and resolves its placeholders.</summary>
    public static EffectiveWorkloadResult Build(
        Workload workload, WorkloadOverride environmentOverride, ResourceOutputs outputs, SourceDocument? source = null)
    {
        var errors = new List<WorkloadError>();
        if (environmentOverride.Replicas is < 0)
            errors.Add(new WorkloadError("/replicas", null, "Replicas cannot be negative."));
        foreach (var name in environmentOverride.Containers.Keys.Where(n => !workload.Containers.ContainsKey(n)))
            errors.Add(new WorkloadError(Pointer.Of("containers", name), null,
                $"The override names container \"{name}\", which the workload does not have."));
        if (errors.Count > 0) return new EffectiveWorkloadResult(null, errors);

        var overridden = Apply(workload, environmentOverride);
        var substitution = WorkloadSubstitution.Resolve(overridden, outputs, source);
        if (substitution.Resolved is not { } resolved) return new EffectiveWorkloadResult(null, substitution.Errors);

        return new EffectiveWorkloadResult(
            new EffectiveWorkload(overridden, environmentOverride.Replicas ?? DefaultReplicas, WithSecrets(resolved, environmentOverride)),
            []);
    }

    /// <summary>The workload with the override's images and variables; secrets are added after substitution.</summary>
    public static Workload Apply(Workload workload, WorkloadOverride environmentOverride)
    {
        var containers = new SortedDictionary<string, Container>(StringComparer.Ordinal);
        foreach (var (name, container) in workload.Containers)
        {
            if (!environmentOverride.Containers.TryGetValue(name, out var change)) { containers[name] = container; continue; }
            var variables = new SortedDictionary<string, string>(container.Variables.ToDictionary(), StringComparer.Ordinal);
            foreach (var (key, value) in change.Variables)
            {
                if (value is null) variables.Remove(key);
                else variables[key] = value;
            }
            foreach (var key in change.Secrets.Keys) variables.Remove(key);
            containers[name] = container with { Image = change.Image ?? container.Image, Variables = variables };
        }
        return workload with { Containers = containers };
    }

    private static ResolvedWorkload WithSecrets(ResolvedWorkload resolved, WorkloadOverride environmentOverride)
    {
        var containers = new SortedDictionary<string, ResolvedContainer>(StringComparer.Ordinal);
        foreach (var (name, container) in resolved.Containers)
        {
            if (!environmentOverride.Containers.TryGetValue(name, out var change) || change.Secrets.Count == 0)
            {
                containers[name] = container;
                continue;
            }
            var variables = new SortedDictionary<string, ConfigValue>(container.Variables.ToDictionary(), StringComparer.Ordinal);
            foreach (var (key, secret) in change.Secrets) variables[key] = ConfigValue.Secret(secret);
            containers[name] = container with { Variables = variables };
        }
        return resolved with { Containers = containers };
    }
}

public sealed record EffectiveWorkloadResult(EffectiveWorkload? Effective, IReadOnlyList<WorkloadError> Errors);
