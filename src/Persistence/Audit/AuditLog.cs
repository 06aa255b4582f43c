using Microsoft.EntityFrameworkCore;
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
        await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({ChainLockId})", ct);
        var head = await db.AuditEvents.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Mac })
            .FirstOrDefaultAsync(ct);
        var sequence = head?.Sequence ?? 0;
        var previousMac = head?.Mac ?? AuditChain.GenesisMac;
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

    /// <summary>Events of a rolled-back transaction must not be saved by a later SaveChanges on the same
    /// context: their sequence numbers and MACs belong to a chain head that never existed.</summary>
    private void Forget(IEnumerable<AuditEvent> events)
    {
        foreach (var e in events) db.Entry(e).State = EntityState.Detached;
    }
}
