using Paddock.Domain.Backends;
using Paddock.Domain.Environments;

namespace Paddock.Domain.Reconciliation;

/// <summary>Compares desired with observed state and decides the repairs, like a Kubernetes controller's sync step.
/// Pure: the caller observes, decides with this, then acts (and never touches instances without Paddock's labels —
/// <paramref name="observed"/> only ever holds the environment's labelled instances).</summary>
public static class ReconcileDecision
{
    /// <param name="retiring">Deployments whose instances are being retired in the background (a newer deployment
    /// took the traffic): their instances are neither drift nor strays, and are never repaired or recreated.</param>
    public static ReconcilePlan Decide(DesiredState? desired, ObservedState observed, IReadOnlySet<Guid>? retiring = null)
    {
        var actions = new List<ReconcileAction>();
        var leaving = retiring is null or { Count: 0 } ? []
            : observed.Instances.Where(i => i.DeploymentId is { } id && retiring.Contains(id)).ToList();
        if (leaving.Count > 0) observed = observed with { Instances = observed.Instances.Except(leaving).ToList() };
        if (desired is null)
        {
            foreach (var stray in observed.Instances)
                actions.Add(new Remove(stray, $"{stray.Name} belongs to no running deployment"));
            return new ReconcilePlan(actions, EnvironmentHealth.Unknown, actions.Count == 0 ? EnvironmentSync.InSync : EnvironmentSync.OutOfSync,
                actions.Count == 0 ? null : "stray instances") { Retiring = leaving };
        }

        var ordered = observed.Instances.OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
        var ours = ordered.Where(i => i.DeploymentId == desired.DeploymentId).ToList();
        foreach (var stray in ordered.Except(ours))
            actions.Add(new Remove(stray, $"{stray.Name} belongs to deployment {Describe(stray.DeploymentId)}, not the current one"));

        // Healthy instances fill the replica slots first; broken ones are replaced only while slots remain.
        var serving = ours.Where(i => i.State == InstanceState.Running && i.Image == desired.Image).ToList();
        var healthy = Math.Min(serving.Count, desired.Replicas);
        foreach (var extra in serving.Skip(desired.Replicas))
            actions.Add(new Remove(extra, $"{extra.Name} is one more than the {desired.Replicas} replica(s) wanted"));
        var slots = desired.Replicas - healthy;
        foreach (var broken in ours.Except(serving))
        {
            var why = broken.Image != desired.Image ? $"{broken.Name} runs {broken.Image} instead of {desired.Image}" : $"{broken.Name} {DescribeState(broken)}";
            if (slots-- > 0) actions.Add(new Replace(broken, why));
            else actions.Add(new Remove(broken, why));
        }
        var missing = slots;
        if (missing > 0) actions.Add(new CreateMissing(missing, $"{missing} of {desired.Replicas} instance(s) missing"));

        var health = actions.Count == 0 ? EnvironmentHealth.Healthy
            : healthy == 0 && desired.Replicas > 0 ? EnvironmentHealth.Missing
            : EnvironmentHealth.Degraded;
        var reason = actions.Count == 0 ? null : string.Join("; ", actions.Select(a => a.Reason));
        // Only what takes serving instances away counts as an outage: the instances to replace and the missing ones.
        var outage = healthy >= desired.Replicas ? null
            : new Outage(healthy == 0 ? EnvironmentHealth.Missing : EnvironmentHealth.Degraded, healthy, desired.Replicas,
                string.Join("; ", actions.Where(a => a is Replace or CreateMissing).Select(a => a.Reason)));
        return new ReconcilePlan(actions, health, actions.Count == 0 ? EnvironmentSync.InSync : EnvironmentSync.OutOfSync, reason)
        {
            Retiring = leaving,
            Outage = outage,
        };
    }

    private static string Describe(Guid? deploymentId) => deploymentId?.ToString() ?? "(unreadable label)";

    private static string DescribeState(ObservedInstance instance) => instance.State switch
    {
        InstanceState.Exited => $"exited with code {instance.ExitCode?.ToString() ?? "unknown"}",
        InstanceState.Created => "was created but never started",
        InstanceState.Unhealthy => instance.RuntimeState ?? "failed its liveness probe",
        _ => $"is {instance.RuntimeState ?? instance.State.ToString().ToLowerInvariant()}",
    };
}
