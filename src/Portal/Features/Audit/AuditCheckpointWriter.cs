using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Events;

namespace Paddock.Portal.Features.Audit;

/// <summary>Moves the checkpoint file forward to the current chain head. It never moves it back: when the
/// event the checkpoint names is gone or changed, the old checkpoint is the evidence and stays.</summary>
public sealed class AuditCheckpointWriter(PaddockDbContext db, AuditCheckpointFile file, TimeProvider clock, ILogger<AuditCheckpointWriter> logger)
{
    /// <summary>The checkpoint now on disk (null when the trail is still empty, or when refusing to move it).</summary>
    public async Task<AuditCheckpoint?> WriteAsync(CancellationToken ct)
    {
        var head = await db.AuditEvents.AsNoTracking()
            .OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Mac })
            .FirstOrDefaultAsync(ct);
        if (head is null) return null;

        var previous = await file.ReadAsync(ct);
        if (previous is not null)
        {
            if (previous.Sequence == head.Sequence && previous.Mac == head.Mac) return previous;
            var macThen = await db.AuditEvents.AsNoTracking()
                .Where(e => e.Sequence == previous.Sequence)
                .Select(e => e.Mac)
                .FirstOrDefaultAsync(ct);
            if (macThen != previous.Mac)
            {
                logger.LogCritical(
                    "The audit trail no longer contains event {Sequence} as recorded in the checkpoint {File}: it was truncated or changed. The checkpoint is kept; run GET /api/v1/audit/verify",
                    previous.Sequence, file.FullPath);
                return null;
            }
        }
        var checkpoint = new AuditCheckpoint(head.Sequence, head.Mac, clock.GetUtcNow().UtcDateTime);
        await file.WriteAsync(checkpoint, ct);
        return checkpoint;
    }
}

/// <summary>Keeps the checkpoint at the chain head: a trigger on <c>audit_events</c> signals every append (from any
/// process, see <see cref="AuditAppends"/>), and the checkpoint follows within <see cref="Batch"/> of it, one write for
/// all the appends of that moment, off the request path. The <c>Paddock:AuditCheckpointSeconds</c> interval is the
/// fallback for a missed signal; one more write happens on shutdown.</summary>
public sealed class AuditCheckpointService(IServiceScopeFactory scopes, AuditCheckpointSchedule schedule, AuditAppends appends, ILogger<AuditCheckpointService> logger)
    : BackgroundService
{
    /// <summary>How long a signal waits for more appends to join its write.</summary>
    public static readonly TimeSpan Batch = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var wake = new SemaphoreSlim(0, 1);
        using var subscription = appends.Subscribe(() =>
        {
            try { if (wake.CurrentCount == 0) wake.Release(); }
            catch (SemaphoreFullException) { }
            catch (ObjectDisposedException) { }
        });
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (await wake.WaitAsync(schedule.Interval, stoppingToken)) await Task.Delay(Batch, stoppingToken);
                await WriteAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await WriteAsync(cancellationToken);
    }

    /// <summary>A failed checkpoint is logged and retried at the next signal or interval; it must never stop the portal.</summary>
    private async Task WriteAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AuditCheckpointWriter>().WriteAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError(e, "Could not write the audit checkpoint");
        }
    }
}

public sealed record AuditCheckpointSchedule(TimeSpan Interval)
{
    public const string ConfigurationKey = "Paddock:AuditCheckpointSeconds";
    public const int DefaultSeconds = 60;
}
