using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Audit;

namespace Paddock.Persistence.Audit;

/// <summary>The result of recomputing the chain. <see cref="Count"/> is the number of events that verified
/// in order (the whole trail when valid).</summary>
public sealed record AuditVerification(bool Valid, long Count, long? FirstBrokenSequence, string? Reason, CheckpointVerification? Checkpoint);

/// <summary>Whether the event at the checkpoint's sequence still has the MAC the checkpoint recorded.</summary>
public sealed record CheckpointVerification(long Sequence, bool Verified);

/// <summary>Recomputes every MAC of the trail, batch by batch in sequence order, and compares the result
/// with the checkpoint file kept outside the database.</summary>
public sealed class AuditVerifier(PaddockDbContext db, AuditKey key, AuditCheckpointFile checkpointFile)
{
    public const int BatchSize = 1000;

    public async Task<AuditVerification> VerifyAsync(CancellationToken ct)
    {
        // Read before the rows: the trail only grows, so every event the checkpoint names is already in the table.
        AuditCheckpoint? checkpoint;
        try
        {
            checkpoint = await checkpointFile.ReadAsync(ct);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            return new AuditVerification(false, 0, null, $"The checkpoint file {checkpointFile.FullPath} cannot be read: {e.Message}", null);
        }

        var previousMac = AuditChain.GenesisMac;
        var next = 1L;
        string? macAtCheckpoint = null;
        while (true)
        {
            var after = next - 1;
            var batch = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Sequence > after)
                .OrderBy(e => e.Sequence)
                .Take(BatchSize)
                .ToListAsync(ct);
            if (batch.Count == 0) break;
            if (checkpoint is not null)
                macAtCheckpoint ??= batch.FirstOrDefault(e => e.Sequence == checkpoint.Sequence)?.Mac;
            var broken = AuditChain.FindBreak(key.Value, batch, previousMac, next);
            if (broken is not null)
                return Invalid(broken.Sequence - 1, broken.Sequence, broken.Reason, checkpoint, macAtCheckpoint);
            previousMac = batch[^1].Mac;
            next = batch[^1].Sequence + 1;
        }

        var last = next - 1;
        if (checkpoint is null) return new AuditVerification(true, last, null, null, null);
        if (checkpoint.Sequence > last)
            return Invalid(last, last + 1, $"The trail was truncated after event {last}: the checkpoint records event {checkpoint.Sequence}.", checkpoint, macAtCheckpoint);
        if (macAtCheckpoint != checkpoint.Mac)
            return Invalid(last, checkpoint.Sequence, $"Event {checkpoint.Sequence} differs from the checkpoint.", checkpoint, macAtCheckpoint);
        return new AuditVerification(true, last, null, null, new CheckpointVerification(checkpoint.Sequence, true));
    }

    private static AuditVerification Invalid(long count, long brokenAt, string reason, AuditCheckpoint? checkpoint, string? macAtCheckpoint) =>
        new(false, count, brokenAt, reason,
            checkpoint is null ? null : new CheckpointVerification(checkpoint.Sequence, macAtCheckpoint is not null && macAtCheckpoint == checkpoint.Mac));
}
