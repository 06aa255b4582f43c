using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Applications;
using Paddock.Domain.Audit;
using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Events;

namespace Paddock.Workers.Reconciliation;

/// <summary>Writes a repair: the environment's new state, the event in words and ONE audit event
/// (<c>environment.repaired</c> by <c>system:reconciler</c>, before = what was observed, after = what serves now),
/// in one transaction.</summary>
public sealed class RepairRecorder(PaddockDbContext db, EnvironmentEventLog events, AuditLog audit)
{
    public static readonly Actor Actor = Actor.System("reconciler");

    public async Task RecordRepairAsync(AppEnvironment environment, Application app, Guid? deploymentId, string phase, EventLevel level,
        string message, ObservedState before, IReadOnlyList<string>? upstreams, string trigger, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await events.AppendAsync(environment.Id, deploymentId, phase, level, message, ct);
        await audit.SaveChangesAsync(new AuditEntry(Actor.Id, Actor.Name, "environment.repaired", "environment", environment.Id.ToString(),
            app.TeamId, app.Id,
            AuditJson.Serialize(new { environment = environment.Name.Value, instances = Summary(before) }),
            AuditJson.Serialize(new { environment = environment.Name.Value, deploymentId, repair = message, upstreams, trigger }),
            null, null), ct);
        await transaction.CommitAsync(ct);
    }

    private static object Summary(ObservedState observed) => observed.Instances.Select(i => new
    {
        i.Name,
        i.DeploymentId,
        i.Image,
        State = i.RuntimeState ?? i.State.ToString(),
        i.ExitCode,
    }).ToList();
}
