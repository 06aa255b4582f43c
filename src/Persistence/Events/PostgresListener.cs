using Microsoft.Extensions.Logging;
using Npgsql;

namespace Paddock.Persistence.Events;

/// <summary>Holds a <c>LISTEN</c> on one Postgres channel until cancelled, on its own unpooled connection, and
/// reconnects with a growing pause when the connection is lost (nothing else notices a dead listener: Npgsql does not
/// re-establish it). <c>onListening</c> runs each time LISTEN took effect: notices sent while nobody listened are
/// lost, so callers reload what they hold then.</summary>
public static class PostgresListener
{
    public static async Task ListenAsync(string connectionString, string channel, Action<string> onNotice, Action onListening,
        ILogger logger, TimeSpan maxRetryDelay, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        var settings = new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 15, Pooling = false, Enlist = false };
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(settings.ConnectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => onNotice(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                    await listen.ExecuteNonQueryAsync(ct);
                onListening();
                delay = TimeSpan.FromMilliseconds(200);
                while (!ct.IsCancellationRequested) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Lost the LISTEN connection of channel {Channel}; reconnecting in {Delay}", channel, delay);
                await Task.Delay(delay, ct).ContinueWith(_ => { }, TaskScheduler.Default);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, maxRetryDelay.Ticks));
            }
        }
    }
}
