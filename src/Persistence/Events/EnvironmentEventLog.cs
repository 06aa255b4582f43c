using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Deployments;

namespace Paddock.Persistence.Events;

/// <summary>Writes environment events: numbered per environment without gaps (the counter row stays locked until
/// commit, so numbers commit in order), and announced with <c>NOTIFY</c> so every portal and worker process hears of
/// them without another broker. Joins the caller's transaction when there is one.</summary>
public sealed class EnvironmentEventLog(PaddockDbContext db, TimeProvider clock)
{
    public const string Channel = "paddock_events";

    /// <summary>Appends one event. The context's pending changes are saved with it (callers add a deployment and
    /// count on this), in one transaction; with nothing pending, the event is a single statement: a deployment
    /// writes a dozen of them on its way to the switch, and each round trip is time the user waits.</summary>
    /// <param name="at">When it happened, if earlier than now (a step reported by a backend and written after the
    /// ones queued before it); the sequence still follows the order of writing.</param>
    public async Task<EnvironmentEvent> AppendAsync(Guid environmentId, Guid? deploymentId, string phase, EventLevel level, string message, CancellationToken ct,
        DateTime? at = null)
    {
        var entry = new EnvironmentEvent(environmentId, 0, at ?? clock.GetUtcNow().UtcDateTime, deploymentId, phase, level, message);
        if (!db.ChangeTracker.HasChanges()) return await InsertAsync(entry, ct);

        var ownTransaction = db.Database.CurrentTransaction is null;
        await using var transaction = ownTransaction ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.SaveChangesAsync(ct);
        var inserted = await InsertAsync(entry, ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        return inserted;
    }

    /// <summary>Takes the next number (locking the counter row until commit), inserts the event and notifies, in one
    /// statement. <c>pg_notify</c> sits in FROM so that it runs exactly once, for the inserted row.</summary>
    private async Task<EnvironmentEvent> InsertAsync(EnvironmentEvent e, CancellationToken ct)
    {
        var level = e.Level.ToString();
        var sequence = (await db.Database.SqlQuery<long>($"""
            WITH counter AS (
                INSERT INTO environment_event_counters AS c (environment_id, last_sequence) VALUES ({e.EnvironmentId}, 1)
                ON CONFLICT (environment_id) DO UPDATE SET last_sequence = c.last_sequence + 1
                RETURNING last_sequence),
            inserted AS (
                INSERT INTO environment_events (environment_id, sequence, at, deployment_id, phase, level, message)
                SELECT {e.EnvironmentId}, last_sequence, {e.At}, {e.DeploymentId}::uuid, {e.Phase}, {level}, {e.Message} FROM counter
                RETURNING sequence)
            SELECT inserted.sequence AS "Value"
            FROM inserted, LATERAL pg_notify({Channel}, {e.EnvironmentId.ToString()} || ':' || inserted.sequence) AS notified
            """).ToListAsync(ct)).Single();
        return new EnvironmentEvent(e.EnvironmentId, sequence, e.At, e.DeploymentId, e.Phase, e.Level, e.Message);
    }
}
