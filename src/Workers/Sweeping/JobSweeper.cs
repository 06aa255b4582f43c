using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Jobs;

namespace Paddock.Workers.Sweeping;

/// <summary>Keeps deployment rows and their jobs from being lost apart: a queued deployment nobody picked up, a
/// deploying one whose worker stopped heartbeating, a retirement that did not finish, an environment stuck in
/// Deleting: each gets its job again
/// (the jobs are idempotent, so a duplicate does no harm). Every worker process sweeps; that is fine for the same reason.</summary>
public sealed class JobSweeper(IServiceScopeFactory scopes, IBackgroundJobClient jobs, IOptions<DeploySettings> settings, TimeProvider clock, ILogger<JobSweeper> logger)
    : BackgroundService
{
    public TimeSpan Interval { get; } = TimeSpan.FromSeconds(settings.Value.SweepIntervalSeconds);
    public TimeSpan StaleAfter { get; } = TimeSpan.FromSeconds(settings.Value.StaleAfterSeconds);

    // What this process enqueued lately and when it first saw an environment deleting; a row is
    // enqueued again at most once per StaleAfter, so a busy queue does not fill with duplicates.
    private readonly Dictionary<Guid, DateTime> _lastEnqueued = [];
    private readonly Dictionary<Guid, DateTime> _deletingSince = [];

    /// <summary>A deployment without a grace period of its own stops within the backend's (Docker's default).</summary>
    private const int DefaultGraceSeconds = 10;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await SweepAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Sweeping for lost jobs failed; trying again in {Interval}", Interval);
            }
        } while (await timer.WaitForNextTickAsync(ct));
    }

    /// <summary>One sweep; returns how many jobs it enqueued.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = now - StaleAfter;

        var lostDeployments = await db.Deployments.AsNoTracking()
            .Where(d => (d.Status == DeploymentStatus.Queued && d.QueuedAt < cutoff && (d.HeartbeatAt == null || d.HeartbeatAt < cutoff))
                        || (d.Status == DeploymentStatus.Deploying && (d.HeartbeatAt == null || d.HeartbeatAt < cutoff)))
            .Select(d => d.Id)
            .ToListAsync(ct);
        // A retirement gets its grace period (and the drain) before it counts as lost; the grace is in the snapshot.
        var retiring = await db.Deployments.AsNoTracking()
            .Where(d => d.RetiringSince != null && d.RetiredAt == null && d.RetiringSince < cutoff)
            .Select(d => new { d.Id, Since = d.RetiringSince!.Value, d.Snapshot })
            .ToListAsync(ct);
        var lostRetirements = retiring
            .Where(r => r.Since + TimeSpan.FromSeconds(r.Snapshot.StopGracePeriodSeconds ?? DefaultGraceSeconds) < cutoff)
            .Select(r => r.Id);
        var deleting = await db.Environments.AsNoTracking()
            .Where(e => e.Status == EnvironmentStatus.Deleting && e.DeletedAt == null)
            .Select(e => e.Id)
            .ToListAsync(ct);

        var enqueued = 0;
        foreach (var id in lostDeployments.Where(id => Due(id, now)))
        {
            jobs.Enqueue<IEnvironmentJobs>(JobStorageSetup.DeployQueue, j => j.DeployAsync(id, CancellationToken.None));
            _lastEnqueued[id] = now;
            enqueued++;
            logger.LogWarning("Deployment {DeploymentId} had no live job; enqueued it again", id);
        }

        foreach (var id in lostRetirements.Where(id => Due(id, now)))
        {
            jobs.Enqueue<IEnvironmentJobs>(JobStorageSetup.DeployQueue, j => j.RetireAsync(id, CancellationToken.None));
            _lastEnqueued[id] = now;
            enqueued++;
            logger.LogWarning("Deployment {DeploymentId} is still retiring; enqueued its retirement again", id);
        }

        foreach (var gone in _deletingSince.Keys.Except(deleting).ToList()) _deletingSince.Remove(gone);
        foreach (var id in deleting)
        {
            var since = _deletingSince.TryGetValue(id, out var seen) ? seen : _deletingSince[id] = now;
            if (now - since < StaleAfter || !Due(id, now)) continue;
            jobs.Enqueue<IEnvironmentJobs>(JobStorageSetup.DeployQueue, j => j.TearDownAsync(id, CancellationToken.None));
            _lastEnqueued[id] = now;
            enqueued++;
            logger.LogWarning("Environment {EnvironmentId} is still deleting; enqueued its teardown again", id);
        }

        foreach (var old in _lastEnqueued.Where(e => now - e.Value > StaleAfter * 10).Select(e => e.Key).ToList()) _lastEnqueued.Remove(old);
        return enqueued;
    }

    private bool Due(Guid id, DateTime now) => !_lastEnqueued.TryGetValue(id, out var at) || now - at >= StaleAfter;
}
