using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Paddock.Persistence.Events;

/// <summary>"Something new happened in environment X, up to sequence N". <see cref="Resync"/> (empty id) tells
/// subscribers the listener reconnected and they may have missed notices: read from the database again.</summary>
public readonly record struct EventNotice(Guid EnvironmentId, long Sequence)
{
    public static EventNotice Resync { get; } = new(Guid.Empty, 0);

    public bool IsResync => EnvironmentId == Guid.Empty;
}

/// <summary>One <c>LISTEN</c> connection per process, fanned out to in-process subscribers (SSE streams, Blazor
/// circuits). Notices only wake subscribers; the events themselves are always read from the table, so a lost
/// notice delays an update but never loses one. Reconnects with backoff when the connection drops.</summary>
public sealed class EventNotifications(string connectionString, ILogger<EventNotifications> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Action<EventNotice>> _subscribers = new();

    public IDisposable Subscribe(Action<EventNotice> onNotice)
    {
        var id = Guid.NewGuid();
        _subscribers[id] = onNotice;
        return new Subscription(() => _subscribers.TryRemove(id, out _));
    }

    protected override Task ExecuteAsync(CancellationToken ct) =>
        PostgresListener.ListenAsync(connectionString, EnvironmentEventLog.Channel, Publish, () => Broadcast(EventNotice.Resync),
            logger, TimeSpan.FromSeconds(10), ct);

    private void Publish(string payload)
    {
        var separator = payload.LastIndexOf(':');
        if (separator > 0 && Guid.TryParse(payload.AsSpan(0, separator), out var environmentId) && long.TryParse(payload.AsSpan(separator + 1), out var sequence))
            Broadcast(new EventNotice(environmentId, sequence));
    }

    private void Broadcast(EventNotice notice)
    {
        foreach (var subscriber in _subscribers.Values)
        {
            try { subscriber(notice); }
            catch (Exception e) { logger.LogWarning(e, "An event subscriber failed"); }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
