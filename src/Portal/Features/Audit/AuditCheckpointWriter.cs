using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;
using Paddock.Persistence.Audit;

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

/// <summary>Writes the checkpoint every <c>Paddock:AuditCheckpointSeconds</c> and once more on shutdown.</summary>
public sealed class AuditCheckpointService(IServiceScopeFactory scopes, AuditCheckpointSchedule schedule, TimeProvider clock, ILogger<AuditCheckpointService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(schedule.Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await WriteAsync(stoppingToken);
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

    /// <summary>A failed checkpoint is logged and retried at the next tick; it must never stop the portal.</summary>
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
