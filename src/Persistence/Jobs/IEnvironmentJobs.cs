namespace Paddock.Persistence.Jobs;

/// <summary>The background work the portal enqueues and the workers run (Hangfire resolves the implementation in
/// the worker process). Arguments are ids only; each job reads the current state and is idempotent.</summary>
public interface IEnvironmentJobs
{
    /// <summary>Runs a queued deployment (or resumes one whose worker died) to its end.</summary>
    Task DeployAsync(Guid deploymentId, CancellationToken ct);

    /// <summary>Removes everything an environment has in its backend and edge, then marks it deleted.</summary>
    Task TearDownAsync(Guid environmentId, CancellationToken ct);
}
