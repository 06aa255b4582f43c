using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paddock.Domain.Deployments;
using Paddock.Persistence;
using Paddock.Persistence.Events;
using Paddock.Runtime.Backends;

namespace Paddock.Workers.Rollout;

/// <summary>The last step of a rollout, off the environment's lock: the instances of a deployment that no longer
/// serves drain (requests the edge sent them just before the switch finish), then stop, each with its grace period,
/// and are removed. A newer deployment may start meanwhile: a retirement touches only its own deployment's instances.
/// Idempotent: a retirement that died half-way (its worker stopped) is run again by the sweeper.</summary>
public sealed class Retirement(
    PaddockDbContext db,
    EnvironmentEventLog events,
    BackendRegistry backends,
    IOptions<EdgeSettings> edge,
    TimeProvider clock,
    ILogger<Retirement> logger)
{
    public const string RetiringPhase = "retiring";
    public const string RetiredPhase = "retired";

    /// <summary>Retires the deployment's instances if it is retiring; anything else is left alone.</summary>
    /// <param name="justSwitched">Right after the switch to a newer deployment: say so, and wait the edge's drain
    /// time first. A retirement taken up again later has drained long since.</param>
    public async Task RunAsync(Guid deploymentId, bool justSwitched, CancellationToken ct)
    {
        var retiring = await db.Deployments.AsNoTracking()
            .Where(d => d.Id == deploymentId && d.RetiringSince != null && d.RetiredAt == null)
            .Join(db.Environments, d => d.EnvironmentId, e => e.Id, (d, e) => new { d.EnvironmentId, d.Revision, e.Backend })
            .SingleOrDefaultAsync(ct);
        if (retiring is null) return;
        await events.AppendAsync(retiring.EnvironmentId, deploymentId, RetiringPhase, EventLevel.Info, justSwitched
            ? $"Revision {retiring.Revision}'s instances retire in the background: they drain, then stop within their grace period."
            : $"Revision {retiring.Revision}'s instances are still retiring; taking their removal up again.", ct);
        if (backends.Find(retiring.Backend) is not { } backend)
        {
            logger.LogWarning("Cannot retire deployment {DeploymentId}: no backend named {Backend}", deploymentId, retiring.Backend);
            return;
        }

        if (justSwitched && edge.Value.DrainSeconds > 0) await Task.Delay(TimeSpan.FromSeconds(edge.Value.DrainSeconds), clock, ct);
        try
        {
            await backend.RetireAsync(retiring.EnvironmentId, deploymentId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Left retiring: the sweeper takes it up again.
            logger.LogWarning(e, "Retiring deployment {DeploymentId} failed; it stays retiring", deploymentId);
            await events.AppendAsync(retiring.EnvironmentId, deploymentId, RetiringPhase, EventLevel.Warning,
                $"Revision {retiring.Revision}'s instances could not be removed yet: {e.Message}", ct);
            return;
        }
        await RecordRetiredAsync(deploymentId, ct);
    }

    private async Task RecordRetiredAsync(Guid deploymentId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var deployment = await db.Deployments.SingleAsync(d => d.Id == deploymentId, ct);
            if (!deployment.IsRetiring) return;
            deployment.Retired(clock.GetUtcNow().UtcDateTime);
            try
            {
                await events.AppendAsync(deployment.EnvironmentId, deployment.Id, RetiredPhase, EventLevel.Info,
                    $"Revision {deployment.Revision}'s instances stopped and were removed.", ct);
                logger.LogInformation("Deployment {DeploymentId} retired", deploymentId);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // Another retirement of the same deployment (the sweeper's) or a heartbeat wrote meanwhile: look again.
            }
        }
    }
}
