using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Deployments;

namespace Paddock.Persistence.Events;

/// <summary>Writes environment events: numbered per environment without gaps (the counter row stays locked until
/// commit, so numbers commit in order), and announced with <c>NOTIFY</c> so every portal and worker process hears of
/// them without another broker. Joins the caller's transaction when there is one.</summary>
public sealed class EnvironmentEventLog(PaddockDbContext db, TimeProvider clock)
{
    public const string Channel = "paddock_events";

    public async Task<EnvironmentEvent> AppendAsync(Guid environmentId, Guid? deploymentId, string phase, EventLevel level, string message, CancellationToken ct)
    {
        var ownTransaction = db.Database.CurrentTransaction is null;
        await using var transaction = ownTransaction ? await db.Database.BeginTransactionAsync(ct) : null;
        // ToList, not Single: EF cannot compose (LIMIT) over an INSERT ... RETURNING.
        var sequence = (await db.Database.SqlQuery<long>($"""
            INSERT INTO environment_event_counters AS c (environment_id, last_sequence) VALUES ({environmentId}, 1)
            ON CONFLICT (environment_id) DO UPDATE SET last_sequence = c.last_sequence + 1
            RETURNING last_sequence AS "Value"
            """).ToListAsync(ct)).Single();
        var entry = new EnvironmentEvent(environmentId, sequence, clock.GetUtcNow().UtcDateTime, deploymentId, phase, level, message);
        db.EnvironmentEvents.Add(entry);
        await db.SaveChangesAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {environmentId.ToString() + ":" + sequence})", ct);
        if (transaction is not null) await transaction.CommitAsync(ct);
        return entry;
    }
}
