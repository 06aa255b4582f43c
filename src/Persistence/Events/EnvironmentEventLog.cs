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
    public async Task<EnvironmentEvent> AppendAsync(Guid environmentId, Guid? deploymentId, string phase, EventLevel level, string message, CancellationToken ct)
    {
        var pending = new PendingEvent(clock.GetUtcNow().UtcDateTime, deploymentId, phase, level, message);
        var ownTransaction = db.ChangeTracker.HasChanges() && db.Database.CurrentTransaction is null;
        await using var transaction = ownTransaction ? await db.Database.BeginTransactionAsync(ct) : null;
        if (db.ChangeTracker.HasChanges()) await db.SaveChangesAsync(ct);
        var sequence = await InsertAsync(environmentId, [pending], ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        return new EnvironmentEvent(environmentId, sequence, pending.At, deploymentId, phase, level, message);
    }

    /// <summary>Appends several events of one environment in the order given, in one statement with one
    /// <c>NOTIFY</c>. For a writer that has a backlog: a deployment's journal while the backend reports faster than
    /// it writes. Saves nothing else the context holds.</summary>
    public async Task AppendManyAsync(Guid environmentId, IReadOnlyList<PendingEvent> pending, CancellationToken ct)
    {
        if (pending.Count > 0) await InsertAsync(environmentId, pending, ct);
    }

    /// <summary>Takes the next numbers (locking the counter row until commit), inserts the events and notifies, in
    /// one statement; answers the last number. One <c>NOTIFY</c> carries the last number: subscribers read everything
    /// after what they have seen. <c>pg_notify</c> sits in FROM so that it runs exactly once.</summary>
    private async Task<long> InsertAsync(Guid environmentId, IReadOnlyList<PendingEvent> pending, CancellationToken ct)
    {
        var count = pending.Count;
        var ats = pending.Select(e => e.At).ToArray();
        var deployments = pending.Select(e => e.DeploymentId).ToArray();
        var phases = pending.Select(e => e.Phase).ToArray();
        var levels = pending.Select(e => e.Level.ToString()).ToArray();
        var messages = pending.Select(e => e.Message).ToArray();
        return (await db.Database.SqlQuery<long>($"""
            WITH counter AS (
                INSERT INTO environment_event_counters AS c (environment_id, last_sequence) VALUES ({environmentId}, {count})
                ON CONFLICT (environment_id) DO UPDATE SET last_sequence = c.last_sequence + {count}
                RETURNING last_sequence),
            inserted AS (
                INSERT INTO environment_events (environment_id, sequence, at, deployment_id, phase, level, message)
                SELECT {environmentId}, counter.last_sequence - {count} + r.ordinal, r.at, r.deployment_id, r.phase, r.level, r.message
                FROM counter, unnest({ats}::timestamptz[], {deployments}::uuid[], {phases}::text[], {levels}::text[], {messages}::text[])
                    WITH ORDINALITY AS r(at, deployment_id, phase, level, message, ordinal)
                RETURNING sequence),
            last AS (SELECT max(sequence) AS sequence FROM inserted)
            SELECT last.sequence AS "Value"
            FROM last, LATERAL pg_notify({Channel}, {environmentId.ToString()} || ':' || last.sequence) AS notified
            """).ToListAsync(ct)).Single();
    }
}

/// <summary>An event still to be written, stamped with when it happened (its number follows the order of writing).</summary>
public sealed record PendingEvent(DateTime At, Guid? DeploymentId, string Phase, EventLevel Level, string Message);
