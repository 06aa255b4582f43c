using Paddock.Domain.Backends;

namespace Paddock.Domain.Reconciliation;

/// <summary>A repair as the rollout runs it: remove <see cref="RemoveFirst"/>, apply the current deployment again
/// (<see cref="ApplyAgain"/>, probing its instances), route traffic to its instances (<see cref="Reroute"/>), then
/// retire the rest (<see cref="RemoveAfter"/>). Which instances go when depends on who keeps the instances, so the
/// backend picks the shape (<see cref="IRuntimeBackend.PlanRepair"/>): <see cref="InstanceByInstance"/> where Paddock
/// itself keeps them, <see cref="ApplyAgainWhole"/> where the runtime's controller does.</summary>
public sealed record RepairSteps(
    IReadOnlyList<ObservedInstance> RemoveFirst,
    bool ApplyAgain,
    IReadOnlyList<ObservedInstance> RemoveAfter,
    bool Reroute,
    string Description)
{
    /// <summary>Paddock keeps single instances (a Docker engine): a drifted instance goes first (the backend would
    /// otherwise reuse a running one of its name), the deployment is applied again when one is replaced or missing,
    /// and surplus instances are removed once traffic no longer goes to them.</summary>
    public static RepairSteps InstanceByInstance(ReconcilePlan plan, Guid currentDeploymentId)
    {
        var replaced = plan.Actions.OfType<Replace>().Select(r => r.Instance).ToList();
        var removed = plan.Actions.OfType<Remove>().Select(r => r.Instance).ToList();
        var applyAgain = plan.Actions.Any(a => a is Replace or CreateMissing);
        var reroute = applyAgain || removed.Any(i => i.DeploymentId == currentDeploymentId);
        return new RepairSteps(replaced, applyAgain, removed, reroute, string.Join("; ", plan.Actions.Select(Describe)));
    }

    /// <summary>The runtime's controller keeps the instances of what was applied (a Kubernetes Deployment's
    /// ReplicaSet): applying the deployment again restores what was changed by hand (a deleted Deployment, a changed
    /// replica count or template, another deployment's template left behind); only instances of no or another
    /// deployment are removed one by one, after the apply.</summary>
    public static RepairSteps ApplyAgainWhole(ReconcilePlan plan, Guid currentDeploymentId)
    {
        var others = plan.Actions.OfType<Remove>().Select(r => r.Instance).Where(i => i.DeploymentId != currentDeploymentId).ToList();
        var words = string.Join("; ", plan.Actions.Select(a => a switch
        {
            Remove r when r.Instance.DeploymentId != currentDeploymentId => Describe(a),
            Remove or Replace => $"instance {a.Reason}",
            _ => a.Reason,
        }));
        return new RepairSteps([], true, others, true, words + "; applied the deployment again");
    }

    private static string Describe(ReconcileAction action) => action switch
    {
        Replace r => $"instance {r.Reason}; started a replacement",
        CreateMissing c => $"{c.Reason}; started {c.Count} new instance(s)",
        Remove r => $"instance {r.Reason}; removed it",
        _ => action.Reason,
    };
}
