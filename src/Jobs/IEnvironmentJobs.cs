using Hangfire;

namespace Paddock.Jobs;

/// <summary>The background work the portal enqueues and the workers run (Hangfire resolves the implementation in
/// the worker process). Arguments are ids only; each job reads the current state and is idempotent.
/// The attributes sit here because Hangfire reads them from the method a job was enqueued with (this interface's):
/// no automatic retries (backoff for transient backend errors happens inside the job, and the workers' sweeper
/// re-enqueues lost jobs), and the "deploy" queue.</summary>
public interface IEnvironmentJobs
{
    /// <summary>Runs a queued deployment (or resumes one whose worker died) to its end.</summary>
    [AutomaticRetry(Attempts = 0), Queue(JobStorageSetup.DeployQueue)]
    Task DeployAsync(Guid deploymentId, CancellationToken ct);

    /// <summary>Removes everything an environment has in its backend and edge, then marks it deleted.</summary>
    [AutomaticRetry(Attempts = 0), Queue(JobStorageSetup.DeployQueue)]
    Task TearDownAsync(Guid environmentId, CancellationToken ct);

    /// <summary>Stops and removes the instances of a retiring deployment (one a newer deployment replaced) whose
    /// retirement did not finish: its worker stopped half-way.</summary>
    [AutomaticRetry(Attempts = 0), Queue(JobStorageSetup.DeployQueue)]
    Task RetireAsync(Guid deploymentId, CancellationToken ct);
}
