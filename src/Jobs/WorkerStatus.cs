using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;

namespace Paddock.Jobs;

/// <summary>Whether any worker process is online: Hangfire servers heartbeat into <c>hangfire.server</c>; one that
/// did not within <see cref="StaleAfter"/> counts as gone. For <c>/readyz</c> and the UI.</summary>
public sealed record WorkerStatus(int Online, DateTime? LastHeartbeat)
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(30);

    public string Summary => Online > 0 ? $"{Online} worker(s) online" : "no worker online";

    public static async Task<WorkerStatus> QueryAsync(PaddockDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var heartbeats = await db.Database
            .SqlQueryRaw<DateTime>($"SELECT lastheartbeat AS \"Value\" FROM {JobStorageSetup.Schema}.server")
            .ToListAsync(ct);
        var cutoff = clock.GetUtcNow().UtcDateTime - StaleAfter;
        return new WorkerStatus(heartbeats.Count(h => h.ToUniversalTime() >= cutoff), heartbeats.Count == 0 ? null : heartbeats.Max().ToUniversalTime());
    }
}
