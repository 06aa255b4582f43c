namespace Paddock.Domain.Backends;

/// <summary>The seam every runtime (Docker engine, Kubernetes, ...) implements. Calls are idempotent:
/// a job that dies half-way and runs again must leave the same result.</summary>
public interface IRuntimeBackend
{
    /// <summary>The kind of runtime ("docker", "kubernetes").</summary>
    string Kind { get; }

    /// <summary>This instance's configured name (environments refer to a backend by it).</summary>
    string Name { get; }

    /// <summary>The shape of a repair of the current deployment's drift on this backend: which instances go before
    /// the deployment is applied again, and which after traffic moved. Default: Paddock keeps single instances
    /// (<see cref="Reconciliation.RepairSteps.InstanceByInstance"/>).</summary>
    Reconciliation.RepairSteps PlanRepair(Reconciliation.ReconcilePlan plan, Guid currentDeploymentId) =>
        Reconciliation.RepairSteps.InstanceByInstance(plan, currentDeploymentId);

    /// <summary>Why this backend cannot mount a sub-directory of a volume (<see cref="VolumeMount.SubPath"/>, Score's
    /// volume <c>path</c>), or null when it can. A plan that needs it on this backend is refused with these words.
    /// Default: it cannot.</summary>
    string? VolumeSubPathRefusal => $"Backend {Name} ({Kind}) does not mount a sub-path of a volume.";

    /// <summary>Whether the runtime answers, and its version; never throws for an unreachable runtime.</summary>
    Task<BackendInfo> DescribeAsync(CancellationToken ct);

    /// <summary>What <paramref name="image"/> resolves to now, without pulling it: what a plan shows as "the digest it
    /// will run" and an apply pins (<see cref="WorkloadSpec.ImageDigest"/>). Never throws for an unreachable runtime
    /// or a missing image: it says the content is resolved at deploy. Default: always that.</summary>
    Task<ImageResolution> ResolveImageAsync(string image, CancellationToken ct) => Task.FromResult(ImageResolution.ByTheRuntime);

    /// <summary>Starts the instances of <paramref name="spec"/>'s deployment next to any older ones and waits until
    /// each passes Paddock's health probe. Instances of the same deployment that already run are reused.
    /// Expected failures (image not found, a probe that never passes, ...) are returned, not thrown.</summary>
    Task<ApplyResult> ApplyAsync(WorkloadSpec spec, IProgress<BackendEvent> progress, CancellationToken ct);

    /// <summary>Removes the environment's instances that belong to any deployment other than
    /// <paramref name="keepDeploymentId"/> (after traffic switched to it).</summary>
    Task RemoveOthersAsync(Guid environmentId, Guid keepDeploymentId, CancellationToken ct);

    /// <summary>Stops and removes the instances of a deployment that no longer serves (a newer one took the traffic),
    /// each with its grace period (<see cref="WorkloadSpec.StopGracePeriod"/>). Runs outside the environment's lock, next
    /// to a newer deployment's apply, so it touches nothing but that deployment's instances. Instances already gone
    /// are fine; a backend whose own controller replaces the instances of what was applied (Kubernetes' rolling
    /// update, with the pods' termination grace period) has nothing left to do.</summary>
    Task RetireAsync(Guid environmentId, Guid deploymentId, CancellationToken ct);

    /// <summary>What actually runs for the environment right now.</summary>
    Task<ObservedState> ObserveAsync(Guid environmentId, CancellationToken ct);

    /// <summary>What runs for every environment the backend manages, in one call, for a full resync; null when the
    /// backend cannot list everything at once (then ask per environment with <see cref="ObserveAsync"/>). Instances
    /// may lack endpoints: enough to decide, not to act (observe the one environment again before acting).</summary>
    Task<IReadOnlyDictionary<Guid, ObservedState>?> ObserveAllAsync(CancellationToken ct) =>
        Task.FromResult<IReadOnlyDictionary<Guid, ObservedState>?>(null);

    /// <summary>Removes these instances of the environment (ids as <see cref="ObserveAsync"/> reported them); ids
    /// that are gone or belong to another environment are ignored. What the reconciler uses for strays and
    /// drifted instances.</summary>
    Task RemoveInstancesAsync(Guid environmentId, IReadOnlyCollection<string> instanceIds, CancellationToken ct) =>
        throw new NotSupportedException($"Backend {Name} ({Kind}) cannot remove single instances.");

    /// <summary>Lifecycle events of Paddock-managed instances (start, die, kill, oom, removal) as they happen,
    /// until cancelled.</summary>
    IAsyncEnumerable<BackendEvent> WatchAsync(CancellationToken ct);

    /// <summary>The last <paramref name="tail"/> log lines of each of the environment's instances,
    /// then, if <paramref name="follow"/>, new lines as they are written, until cancelled.</summary>
    IAsyncEnumerable<LogLine> LogsAsync(Guid environmentId, int tail, bool follow, CancellationToken ct);

    /// <summary>Removes everything the environment has in the runtime (instances, network). Removing
    /// what is already gone succeeds.</summary>
    Task TearDownAsync(Guid environmentId, Names.ResourceName resourceName, CancellationToken ct);
}
