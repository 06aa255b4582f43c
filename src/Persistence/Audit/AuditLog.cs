using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Paddock.Domain.Audit;
using Paddock.Persistence.Keys;

namespace Paddock.Persistence.Audit;

/// <summary>The HMAC key of the audit chain, derived from the master key.</summary>
public sealed record AuditKey(byte[] Value)
{
    public static AuditKey From(MasterKey masterKey) => new(masterKey.Derive("paddock/audit-chain"));
}

/// <summary>The one path for state changes: saves the context's pending changes and appends their audit
/// events in the same transaction, so a change without its event (or the reverse) cannot be committed.</summary>
public sealed class AuditLog(PaddockDbContext db, AuditKey key, TimeProvider clock)
{
    /// <summary>Any fixed number: the advisory lock that serialises appends to the chain.</summary>
    private const long ChainLockId = 0x5061_6464_6f63_6b01;

    /// <summary>True once this instance (one per request scope) appended an event, so request-level
    /// auditing (e.g. of refused authorization) does not record the same request twice.</summary>
    public bool HasAppended { get; private set; }

    public Task SaveChangesAsync(AuditEntry entry, CancellationToken ct) => SaveChangesAsync([entry], ct);

    public async Task SaveChangesAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        var ownTransaction = db.Database.CurrentTransaction is null;
        await using var transaction = ownTransaction ? await db.Database.BeginTransactionAsync(ct) : null;
        await db.SaveChangesAsync(ct);
        var appended = await AppendAsync(entries, ct);
        try
        {
            if (transaction is not null) await transaction.CommitAsync(ct);
        }
        catch
        {
            Forget(appended);
            throw;
        }
        HasAppended |= appended.Count > 0;
    }

    /// <summary>Appends inside the caller's transaction. The chain lock is taken last, just before commit,
    /// so concurrent writers queue only for the few statements that follow it.</summary>
    private async Task<IReadOnlyList<AuditEvent>> AppendAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        if (entries.Count == 0) return [];
        var (sequence, previousMac) = await LockedChainHeadAsync(ct);
        var at = clock.GetUtcNow().UtcDateTime;
        var appended = new List<AuditEvent>(entries.Count);
        foreach (var entry in entries)
        {
            var audit = new AuditEvent(entry, ++sequence, at, previousMac, key.Value);
            db.AuditEvents.Add(audit);
            appended.Add(audit);
            previousMac = audit.Mac;
        }
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            Forget(appended);
            throw;
        }
        return appended;
    }

    /// <summary>Takes the chain lock (held until the transaction ends) and reads the chain's head, in one round trip:
    /// two statements of one batch. The head is read by the second statement, whose snapshot is taken after the
    /// first was granted the lock, so it sees every event committed by the lock's previous holder.</summary>
    private async Task<(long Sequence, string Mac)> LockedChainHeadAsync(CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var transaction = (NpgsqlTransaction)db.Database.CurrentTransaction!.GetDbTransaction();
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({ChainLockId})"),
                new NpgsqlBatchCommand("SELECT sequence, mac FROM audit_events ORDER BY sequence DESC LIMIT 1"),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditChain.GenesisMac);
    }

    /// <summary>Events of a rolled-back transaction must not be saved by a later SaveChanges on the same
    /// context: their sequence numbers and MACs belong to a chain head that never existed.</summary>
    private void Forget(IEnumerable<AuditEvent> events)
    {
        foreach (var e in events) db.Entry(e).State = EntityState.Detached;
    }
}
