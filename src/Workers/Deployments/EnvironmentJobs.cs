using Hangfire;
using Paddock.Jobs;
using Paddock.Workers.Environments;

namespace Paddock.Workers.Deployments;

/// <summary>What Hangfire runs for <see cref="IEnvironmentJobs"/> in a worker process (one instance per job, in
/// its own DI scope). The attributes repeat the interface's, for jobs enqueued against this class directly.</summary>
public sealed class EnvironmentJobs(DeployJob deploy, TearDownJob tearDown, Rollout.Retirement retirement) : IEnvironmentJobs
{
    [AutomaticRetry(Attempts = 0), Queue(JobStorageSetup.DeployQueue)]
    public Task DeployAsync(Guid deploymentId, CancellationToken ct) => deploy.RunAsync(deploymentId, ct);

    [AutomaticRetry(Attempts = 0), Queue(JobStorageSetup.DeployQueue)]
    public Task TearDownAsync(Guid environmentId, CancellationToken ct) => tearDown.RunAsync(environmentId, ct);

    [AutomaticRetry(Attempts = 0), Queue(JobStorageSetup.DeployQueue)]
    public Task RetireAsync(Guid deploymentId, CancellationToken ct) => retirement.RunAsync(deploymentId, justSwitched: false, ct);
}
