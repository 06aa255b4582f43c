using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paddock.Domain.Applications;
using Paddock.Domain.Audit;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Events;
using Paddock.Workers.Resources;

namespace Paddock.Workers.Reconciliation;

/// <summary>The reconciler's look at an environment's resources: each ready one is observed through its provisioner,
/// and one that is gone from its server (a database dropped behind Paddock's back) is drift. With self-heal on it is
/// provisioned again, which brings it back empty: never silently, always with an event and an audit entry
/// (<c>resource.recreated</c>). With self-heal off it is marked Failed with the reason and left alone. A server that
/// does not answer is not drift: nothing is recreated on what cannot be seen.</summary>
public sealed class ResourceDrift(
    PaddockDbContext db, ResourceLifecycle lifecycle, EnvironmentEventLog events, AuditLog audit, TimeProvider clock, ILogger<ResourceDrift> logger)
{
    public const string RecreatedPhase = "resource_recreated";

    /// <summary>Observes and repairs; answers how many resources were found missing.</summary>
    public async Task<int> ReconcileAsync(AppEnvironment environment, Guid deploymentId, string trigger, CancellationToken ct)
    {
        Application? app = null;
        var rows = await db.EnvironmentResources
            .Where(r => r.EnvironmentId == environment.Id && r.Status == ResourceStatus.Ready)
            .OrderBy(r => r.Position).ToListAsync(ct);
        var missing = 0;
        foreach (var row in rows)
        {
            var observed = await lifecycle.ObserveAsync(row, ct);
            if (observed.Presence != ResourcePresence.Missing) continue;
            missing++;
            var what = ResourceLifecycle.Describe(row);
            if (!environment.SelfHeal)
            {
                row.Failed($"Drift: {observed.Reason} It was left alone because self-heal is off.", clock.GetUtcNow().UtcDateTime);
                await db.SaveChangesAsync(ct);
                await events.AppendAsync(environment.Id, deploymentId, EnvironmentReconciler.DriftPhase, EventLevel.Warning,
                    $"Drift: {what} is gone from its server ({observed.Reason}); left alone because self-heal is off.", ct);
                continue;
            }
            app ??= await db.Applications.AsNoTracking().SingleAsync(a => a.Id == environment.ApplicationId, ct);
            var failure = await lifecycle.ProvisionAgainAsync(row, ct);
            var message = failure is null
                ? $"Drift: {what} was gone from its server ({observed.Reason}); it was recreated empty, its data is lost."
                : $"Drift: {what} is gone from its server ({observed.Reason}); recreating it failed: {failure}";
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await events.AppendAsync(environment.Id, deploymentId, failure is null ? RecreatedPhase : EnvironmentReconciler.RepairFailedPhase,
                failure is null ? EventLevel.Warning : EventLevel.Error, message, ct);
            await audit.SaveChangesAsync(new AuditEntry(RepairRecorder.Actor.Id, RepairRecorder.Actor.Name,
                failure is null ? "resource.recreated" : "resource.recreate_failed", "environment_resource", row.Id.ToString(), app.TeamId, app.Id,
                AuditJson.Serialize(new { environment = environment.Name.Value, resource = row.Name, row.Type, row.Class, observed = observed.Reason }),
                AuditJson.Serialize(new { environment = environment.Name.Value, resource = row.Name, status = row.Status.ToString(),
                    outcome = failure is null ? "recreated empty" : failure, trigger }),
                null, null), ct);
            await transaction.CommitAsync(ct);
            logger.LogWarning("{Resource} of {Environment}: {Message}", row.Name, environment.ResourceName, message);
        }
        return missing;
    }
}
