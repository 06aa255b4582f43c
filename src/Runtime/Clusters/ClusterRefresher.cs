using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Paddock.Persistence.Events;
using Paddock.Runtime.Backends;

namespace Paddock.Runtime.Clusters;

/// <summary>Keeps this process's <see cref="BackendRegistry"/> in step with the <c>clusters</c> table: a load at
/// start, a reload on every <c>NOTIFY paddock_clusters</c> (sent in the transaction of each registration change), a
/// reload whenever the LISTEN connection (re)connects, since notices sent while it was down are lost, and one every
/// <see cref="FallbackInterval"/> in case a notice went missing anyway. The table is a handful of rows; a reload
/// reads them all and rebuilds only the clusters whose row changed.</summary>
public sealed class ClusterRefresher(string connectionString, BackendRegistry registry, TimeSpan fallbackInterval, ILogger<ClusterRefresher> logger)
    : BackgroundService
{
    public const string Channel = "paddock_clusters";

    private readonly Channel<bool> _wake = System.Threading.Channels.Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public TimeSpan FallbackInterval => fallbackInterval;

    /// <summary>Environments naming a cluster resolve from the first request and job on; a database that is not
    /// there yet only delays the clusters until the loop's first reload.</summary>
    public override async Task StartAsync(CancellationToken ct)
    {
        try { await registry.RefreshClustersAsync(ct); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not load the registered clusters at start; retrying"); }
        await base.StartAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken ct) => Task.WhenAll(ListenAsync(ct), RefreshLoopAsync(ct));

    private Task ListenAsync(CancellationToken ct) =>
        PostgresListener.ListenAsync(connectionString, Channel, _ => _wake.Writer.TryWrite(true), () => _wake.Writer.TryWrite(true),
            logger, TimeSpan.FromSeconds(10), ct);

    private async Task RefreshLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                wait.CancelAfter(fallbackInterval);
                try
                {
                    await _wake.Reader.ReadAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // The fallback period passed without a notice: reload anyway.
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            try
            {
                await registry.RefreshClustersAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not reload the registered clusters; retrying");
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ContinueWith(_ => { }, TaskScheduler.Default);
                _wake.Writer.TryWrite(true);
            }
        }
    }
}
