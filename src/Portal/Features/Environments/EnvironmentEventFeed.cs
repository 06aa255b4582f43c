using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;
using Paddock.Persistence.Events;

namespace Paddock.Portal.Features.Environments;

/// <summary>An environment's events after a given sequence number, then live ones as they commit, for the SSE stream
/// and the UI alike. It subscribes to the process's NOTIFY listener before it reads the backlog, and always reads
/// the events themselves from the table (numbered without gaps), so none is skipped or sent twice.</summary>
public sealed class EnvironmentEventFeed(IServiceScopeFactory scopes, EventNotifications notifications)
{
    private const int BatchSize = 500;

    /// <summary>Batches of events in order. An empty batch means nothing happened for <paramref name="idle"/>
    /// (the SSE stream sends a keep-alive then).</summary>
    public async IAsyncEnumerable<IReadOnlyList<EnvironmentEventView>> FollowAsync(
        Guid environmentId, long after, TimeSpan idle, [EnumeratorCancellation] CancellationToken ct)
    {
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        using var subscription = notifications.Subscribe(notice =>
        {
            if (notice.IsResync || notice.EnvironmentId == environmentId) wake.Writer.TryWrite(true);
        });
        var last = after;
        while (!ct.IsCancellationRequested)
        {
            var batch = await ReadAsync(environmentId, last, BatchSize, ct);
            if (batch.Count > 0)
            {
                last = batch[^1].Sequence;
                yield return batch;
                if (batch.Count == BatchSize) continue;
            }
            if (!await WaitAsync(wake.Reader, idle, ct)) yield return [];
        }
    }

    /// <summary>Up to <paramref name="limit"/> events after <paramref name="after"/>, oldest first.</summary>
    public async Task<IReadOnlyList<EnvironmentEventView>> ReadAsync(Guid environmentId, long after, int limit, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var events = await db.EnvironmentEvents.AsNoTracking()
            .Where(e => e.EnvironmentId == environmentId && e.Sequence > after)
            .OrderBy(e => e.Sequence)
            .Take(limit)
            .ToListAsync(ct);
        return events.Select(EnvironmentEventView.Of).ToList();
    }

    /// <summary>True when woken by a notice, false when <paramref name="idle"/> passed first.</summary>
    private static async Task<bool> WaitAsync(ChannelReader<bool> wake, TimeSpan idle, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(idle);
        try
        {
            await wake.ReadAsync(timeout.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }
}
