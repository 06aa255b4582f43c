using Hangfire;
using Paddock.Jobs;

namespace Paddock.Bench.Hangfire;

/// <summary>A job with nothing to do, on the deploy queue with the deploy job's attributes: what is measured is
/// Hangfire's way to it, not the job.</summary>
public sealed class NoOpJob
{
    [AutomaticRetry(Attempts = 0), Queue(JobStorageSetup.DeployQueue)]
    public Task RunAsync(CancellationToken ct) => Task.CompletedTask;
}
