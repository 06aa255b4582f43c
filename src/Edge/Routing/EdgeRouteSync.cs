using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Paddock.Persistence.Events;

namespace Paddock.Edge.Routing;

/// <summary>Keeps the edge's routes in step with the <c>edge_routes</c> table: a full load at start, then one
/// reload per <c>NOTIFY paddock_edge '&lt;environment id&gt;'</c>, a full reload after the LISTEN connection comes
/// back (notices sent while it was down are lost) and every <see cref="EdgeOptions.FullReloadSeconds"/> as a
/// fallback. After YARP applies a change, the edge writes <c>applied_version = version</c> for the changed rows:
/// that acknowledgement is what a deploy waits for before it removes the old containers.</summary>
internal sealed class EdgeRouteSync(
    string connectionString,
    EdgeRouteStore store,
    EdgeConfigProvider provider,
    IOptions<EdgeOptions> options,
    ILogger<EdgeRouteSync> logger) : BackgroundService
{
    public const string Channel = "paddock_edge";

    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(30);

    // Guid.Empty asks for a full reload.
    private readonly Channel<Guid> _pending = System.Threading.Channels.Channel.CreateUnbounded<Guid>(new UnboundedChannelOptions { SingleReader = true });

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the LISTEN connection is up for the first time.</summary>
    public Task Listening => _listening.Task;

    public override async Task StartAsync(CancellationToken ct)
    {
        // Serve the known routes from the first request on; if the database is not there yet, the loop retries.
        try { await ReloadAsync(null, ct); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not load the edge routes at start; retrying"); _pending.Writer.TryWrite(Guid.Empty); }
        await base.StartAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken ct) =>
        Task.WhenAll(ListenAsync(ct), ReloadLoopAsync(ct));

    private Task ListenAsync(CancellationToken ct) =>
        PostgresListener.ListenAsync(connectionString, Channel,
            payload => _pending.Writer.TryWrite(Guid.TryParse(payload, out var id) ? id : Guid.Empty),
            () =>
            {
                // Whatever changed before LISTEN took effect (since the load at start, or while the connection was
                // down) came with notices nobody heard: read everything once more.
                _pending.Writer.TryWrite(Guid.Empty);
                _listening.TrySetResult();
            },
            logger, TimeSpan.FromSeconds(5), ct);

    private async Task ReloadLoopAsync(CancellationToken ct)
    {
        var fullReloadEvery = TimeSpan.FromSeconds(Math.Max(1, options.Value.FullReloadSeconds));
        while (!ct.IsCancellationRequested)
        {
            HashSet<Guid>? changed;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                wait.CancelAfter(fullReloadEvery);
                try
                {
                    await _pending.Reader.WaitToReadAsync(wait.Token);
                    changed = [];
                    while (_pending.Reader.TryRead(out var id)) changed.Add(id);
                    if (changed.Contains(Guid.Empty)) changed = null;
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    changed = null;
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }

            try
            {
                await ReloadAsync(changed, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not reload the edge routes; retrying with a full reload");
                _pending.Writer.TryWrite(Guid.Empty);
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>Reloads <paramref name="environmentIds"/> (null: every row), applies the result and acknowledges it.</summary>
    private async Task ReloadAsync(IReadOnlyCollection<Guid>? environmentIds, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var rows = environmentIds is null ? await store.ReadAllAsync(ct) : await store.ReadAsync(environmentIds, ct);
        var servable = new List<EdgeRouteRow>(rows.Count);
        foreach (var row in rows)
        {
            if (row.Problem() is { } problem)
                logger.LogWarning("Not routing {Host} (environment {EnvironmentId}, version {Version}): {Problem}", row.Host, row.EnvironmentId, row.Version, problem);
            else
                servable.Add(row);
        }

        var current = provider.Table;
        var next = environmentIds is null
            ? current.ReplacedBy(servable, out var changed)
            : current.UpdatedWith(environmentIds, servable, out changed);
        if (changed) await provider.ApplyAsync(next, ApplyTimeout, ct);

        var unacknowledged = servable.Where(r => r.AppliedVersion != r.Version).ToList();
        await store.AcknowledgeAsync(unacknowledged, ct);
        if (changed || unacknowledged.Count > 0)
            logger.LogInformation("Edge routes reloaded ({Scope}): {Routes} routes, {Acknowledged} acknowledged in {Elapsed:0.0} ms",
                environmentIds is null ? "all" : $"{environmentIds.Count} changed", next.Count, unacknowledged.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
