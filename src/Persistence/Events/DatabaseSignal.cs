using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Paddock.Persistence.Events;

/// <summary>A payload-free wake-up from the database: a trigger sends <c>NOTIFY</c> on <see cref="Channel"/> when
/// something subscribers care about changed, and subscribers look again. Subscribers are also called each time the
/// <c>LISTEN</c> (re)took effect, since notices sent while nobody listened are lost.</summary>
public abstract class DatabaseSignal(string connectionString, string channel, ILogger logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, Action> _subscribers = new();

    public string Channel => channel;

    public IDisposable Subscribe(Action onSignal)
    {
        var id = Guid.NewGuid();
        _subscribers[id] = onSignal;
        return new Subscription(() => _subscribers.TryRemove(id, out _));
    }

    protected override Task ExecuteAsync(CancellationToken ct) =>
        PostgresListener.ListenAsync(connectionString, channel, _ => Raise(), Raise, logger, TimeSpan.FromSeconds(5), ct);

    private void Raise()
    {
        foreach (var subscriber in _subscribers.Values)
        {
            try { subscriber(); }
            catch (Exception e) { logger.LogWarning(e, "A subscriber of {Channel} failed", channel); }
        }
    }

    private sealed class Subscription(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}

/// <summary>A user was disabled, deleted or had their security stamp changed (password change, sign-out everywhere),
/// or an API token was revoked or deleted: open streams and circuits check their credential again.</summary>
public sealed class CredentialChanges(string connectionString, ILogger<CredentialChanges> logger)
    : DatabaseSignal(connectionString, ChannelName, logger)
{
    public const string ChannelName = "credentials_changed";
}

/// <summary>Audit events were appended (by any process): the checkpoint follows the chain head.</summary>
public sealed class AuditAppends(string connectionString, ILogger<AuditAppends> logger)
    : DatabaseSignal(connectionString, ChannelName, logger)
{
    public const string ChannelName = "audit_appended";
}
