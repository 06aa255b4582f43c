using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using Paddock.Domain.Edge;
using Paddock.Persistence.Events;

namespace Paddock.Edge.Routing;

/// <summary>Keeps the edge's routes in step with the <c>edge_routes</c> table: a full load at start, then one
/// update per route notice (<see cref="EdgeRouteNotice"/>, the contract the workers send with: the route itself, or the
/// environment id whose row to read), a full reload after the LISTEN connection comes back (notices sent while it was down are lost) and every
/// <see cref="EdgeOptions.FullReloadSeconds"/> as a fallback. After YARP applies a change, the edge writes
/// <c>applied_version = version</c> for the changed rows: that acknowledgement is what a deploy waits for before it
/// removes the old containers.</summary>
internal sealed class EdgeRouteSync(
    string connectionString,
    EdgeRouteStore store,
    EdgeConfigProvider provider,
    IOptions<EdgeOptions> options,
    ILogger<EdgeRouteSync> logger) : BackgroundService
{
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(30);

    // Null asks for a full reload.
    private readonly Channel<EdgeRouteNotice?> _pending = System.Threading.Channels.Channel.CreateUnbounded<EdgeRouteNotice?>(new UnboundedChannelOptions { SingleReader = true });

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the LISTEN connection is up for the first time.</summary>
    public Task Listening => _listening.Task;

    public override async Task StartAsync(CancellationToken ct)
    {
        // Serve the known routes from the first request on; if the database is not there yet, the loop retries.
        try { await ReloadAsync(Changes.Everything, ct); }
        catch (Exception e) when (e is not OperationCanceledException) { logger.LogWarning(e, "Could not load the edge routes at start; retrying"); _pending.Writer.TryWrite(null); }
        await base.StartAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken ct) =>
        Task.WhenAll(ListenAsync(ct), ReloadLoopAsync(ct));

    private Task ListenAsync(CancellationToken ct) =>
        PostgresListener.ListenAsync(connectionString, EdgeRouteNotice.Channel,
            payload => _pending.Writer.TryWrite(EdgeRouteNotice.Parse(payload)),
            () =>
            {
                // Whatever changed before LISTEN took effect (since the load at start, or while the connection was
                // down) came with notices nobody heard: read everything once more.
                _pending.Writer.TryWrite(null);
                _listening.TrySetResult();
            },
            logger, TimeSpan.FromSeconds(5), ct);

    private async Task ReloadLoopAsync(CancellationToken ct)
    {
        var fullReloadEvery = TimeSpan.FromSeconds(Math.Max(1, options.Value.FullReloadSeconds));
        while (!ct.IsCancellationRequested)
        {
            Changes changed;
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                wait.CancelAfter(fullReloadEvery);
                try
                {
                    await _pending.Reader.WaitToReadAsync(wait.Token);
                    changed = Changes.Of(DrainPending());
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    changed = Changes.Everything;
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
                _pending.Writer.TryWrite(null);
                await Task.Delay(TimeSpan.FromSeconds(1), ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private List<EdgeRouteNotice?> DrainPending()
    {
        var notices = new List<EdgeRouteNotice?>();
        while (_pending.Reader.TryRead(out var notice)) notices.Add(notice);
        return notices;
    }

    /// <summary>Reads what <paramref name="changes"/> asks to read, applies the result with the routes the notices
    /// carried, and acknowledges what it applied.</summary>
    private async Task ReloadAsync(Changes changes, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var current = provider.Table;
        var rows = changes.ReadAll ? await store.ReadAllAsync(ct)
            : changes.ToRead.Count > 0 ? await store.ReadAsync(changes.ToRead, ct)
            : [];
        // A carried route older than the one served came in behind a reload that had read the newer row already.
        var carried = changes.Carried.Where(r => !(current.VersionOf(r.EnvironmentId) > r.Version)).ToList();
        var servable = new List<EdgeRouteRow>(rows.Count + carried.Count);
        foreach (var row in rows.Concat(carried))
        {
            if (row.Problem() is { } problem)
                logger.LogWarning("Not routing {Host} (environment {EnvironmentId}, version {Version}): {Problem}", row.Host, row.EnvironmentId, row.Version, problem);
            else
                servable.Add(row);
        }

        var next = changes.ReadAll
            ? current.ReplacedBy(servable, out var changed)
            : current.UpdatedWith(changes.ToRead.Concat(carried.Select(r => r.EnvironmentId)).ToList(), servable, out changed);
        // The route resources' host routes of what was read (a carried route changed only its environment's upstreams).
        if (changes.ReadAll || changes.ToRead.Count > 0)
        {
            var paths = await store.ReadPathRoutesAsync(changes.ReadAll ? null : changes.ToRead, ct);
            next = next.WithPathRoutes(changes.ReadAll ? null : changes.ToRead, paths.Where(Servable).ToList(), out var pathsChanged);
            changed |= pathsChanged;
        }
        var read = Stopwatch.GetElapsedTime(started);
        if (changed) await provider.ApplyAsync(next, ApplyTimeout, ct);
        var applied = Stopwatch.GetElapsedTime(started);

        var unacknowledged = servable.Where(r => r.AppliedVersion != r.Version).ToList();
        await store.AcknowledgeAsync(unacknowledged, ct);
        if (changed || unacknowledged.Count > 0)
            logger.LogInformation("Edge routes reloaded ({Scope}): {Routes} routes, {Acknowledged} acknowledged in {Elapsed:0.0} ms (read {Read:0.0}, served from {Applied:0.0})",
                changes.ReadAll ? "all" : $"{changes.ToRead.Count} read, {carried.Count} carried", next.Count, unacknowledged.Count,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds, read.TotalMilliseconds, applied.TotalMilliseconds);
    }

    private bool Servable(EdgePathRoute route)
    {
        if (Uri.CheckHostName(route.Host) != UriHostNameType.Unknown && route.Path.StartsWith('/')) return true;
        logger.LogWarning("Not routing {Host}{Path} (environment {EnvironmentId}): not a host name and path", route.Host, route.Path, route.EnvironmentId);
        return false;
    }

    /// <summary>What a batch of notices asks for: everything read again, or the rows of <see cref="ToRead"/> read and
    /// the routes in <see cref="Carried"/> (the last one per environment) taken as they came.</summary>
    internal sealed record Changes(bool ReadAll, IReadOnlyCollection<Guid> ToRead, IReadOnlyCollection<EdgeRouteRow> Carried)
    {
        public static readonly Changes Everything = new(true, [], []);

        /// <summary>Notices in the order they came (Postgres delivers them in commit order). An environment with one
        /// bare notice among them is read: the row read is at least as new as every notice of the batch.</summary>
        public static Changes Of(IReadOnlyList<EdgeRouteNotice?> notices)
        {
            if (notices.Any(n => n is null)) return Everything;
            var toRead = notices.Where(n => n!.Route is null).Select(n => n!.EnvironmentId).ToHashSet();
            var carried = new Dictionary<Guid, EdgeRouteRow>();
            foreach (var notice in notices)
            {
                if (notice!.Route is { } route && !toRead.Contains(notice.EnvironmentId)) carried[notice.EnvironmentId] = EdgeRouteRow.Unacknowledged(route);
            }
            return new Changes(false, toRead, carried.Values);
        }
    }
}
