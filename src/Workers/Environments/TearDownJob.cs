using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paddock.Domain.Audit;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Events;
using Paddock.Runtime.Backends;
using Paddock.Workers.Deployments;
using Paddock.Workers.Resources;
using Paddock.Workers.Rollout;

namespace Paddock.Workers.Environments;

/// <summary>Removes a deleted environment through the rollout (everything retires, nothing routes to it any more),
/// then marks it deleted. Runs under the
/// environment's lock, so it waits for a deploy in progress (which notices the deletion and stops). Idempotent:
/// an environment already gone is left alone; a teardown that fails is retried by the sweeper.</summary>
public sealed class TearDownJob(
    PaddockDbContext db,
    EnvironmentEventLog events,
    AuditLog audit,
    BackendRegistry backends,
    EnvironmentRollout rollout,
    EnvironmentLocks locks,
    ResourceLifecycle resources,
    TimeProvider clock,
    ILogger<TearDownJob> logger)
{
    public async Task RunAsync(Guid environmentId, CancellationToken ct)
    {
        if (!await IsDeletingAsync(environmentId, ct)) return;
        await using var held = await locks.AcquireAsync(environmentId, null, ct);
        db.ChangeTracker.Clear();
        var environment = await db.Environments.SingleOrDefaultAsync(e => e.Id == environmentId, ct);
        if (environment is null || environment.IsDeleted || environment.Status != EnvironmentStatus.Deleting) return;
        var app = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == environment.ApplicationId, ct);

        var backend = backends.Find(environment.Backend);
        if (backend is not null)
        {
            try
            {
                await rollout.RetireEverythingAsync(backend, environment, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await events.AppendAsync(environment.Id, null, "teardown", EventLevel.Warning,
                    $"Could not remove the environment from backend {backend.Name} yet; it will be tried again: {e.Message}", ct);
                throw;
            }
        }
        else
        {
            logger.LogWarning("Environment {Resource} names backend {Backend}, which is not configured: nothing to remove there",
                environment.ResourceName, environment.Backend);
        }

        // With no container left to use them, the resources go, last provisioned first; the environment is gone only once
        // every one is confirmed gone (a failure is on the resource and in the timeline, and the teardown is retried).
        if (await resources.DeprovisionAllAsync(environment.Id, ct) is { } failure) throw new ResourceDeprovisionException(failure);

        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await rollout.UnrouteAsync(backend, db, environment.Id, ct);
        var live = await db.Deployments
            .Where(d => d.EnvironmentId == environment.Id && (d.Status == DeploymentStatus.Queued || d.Status == DeploymentStatus.Deploying))
            .ToListAsync(ct);
        foreach (var deployment in live) deployment.Cancel(now, DeployJob.EnvironmentDeleted);
        // The backend's teardown removed every instance, retiring ones included.
        await db.Deployments.Where(d => d.EnvironmentId == environment.Id && d.RetiringSince != null && d.RetiredAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.RetiredAt, now), ct);
        environment.MarkDeleted(now);
        await events.AppendAsync(environment.Id, null, "deleted", EventLevel.Info,
            $"Environment {environment.Name} was removed from its backend and the edge.", ct);
        await audit.SaveChangesAsync(new AuditEntry(DeployJob.Actor.Id, DeployJob.Actor.Name, "environment.torn_down", "environment",
            environment.Id.ToString(), app.TeamId, app.Id,
            null, AuditJson.Serialize(new { environment = environment.Name.Value, resourceName = environment.ResourceName.Value, deletedAt = now }),
            null, null), ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation("Tore down {Resource}", environment.ResourceName);
    }

    private Task<bool> IsDeletingAsync(Guid environmentId, CancellationToken ct) =>
        db.Environments.AsNoTracking().AnyAsync(e => e.Id == environmentId && e.Status == EnvironmentStatus.Deleting && e.DeletedAt == null, ct);
}
