using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paddock.Domain.Backends;
using Paddock.Persistence.Locks;
using Paddock.Runtime.Backends;

namespace Paddock.Workers.Reconciliation;

/// <summary>Keeps every environment matching its current deployment. Runs in-process (not through Hangfire, so no
/// automatic retries: the next event or resync is the retry). Every worker contends for leadership; only the leader
/// acts, so two workers never repair the same drift. The leader reconciles everything when it takes over, watches
/// each backend's event stream (an instance died, stopped, was killed or removed → that environment, debounced),
/// and resyncs everything every <c>Reconciler:ResyncSeconds</c> (with jitter) and after a watch reconnects.</summary>
public sealed class ReconcilerService(
    IServiceScopeFactory scopes,
    BackendRegistry backends,
    SessionLeadership leadership,
    FullResync resync,
    InstanceEndings endings,
    IOptions<ReconcilerSettings> options,
    TimeProvider clock,
    ILogger<ReconcilerService> logger) : BackgroundService
{
    /// <summary>The advisory lock key ("paddrecn") whose holder leads reconciliation, apart from the per-environment keys.</summary>
    public const long LeadershipKey = 0x7061_6464_7265_636e;

    private readonly ReconcileQueue _queue = new(clock);
    private readonly Channel<bool> _resyncRequests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private ReconcilerSettings Settings => options.Value;

    public bool IsLeader => leadership.IsLeader;

    /// <summary>How many full resyncs this process started and finished (as leader); passes run one after another.</summary>
    public int ResyncsStarted { get; private set; }
    public int ResyncsFinished { get; private set; }

    public override void Dispose()
    {
        base.Dispose();
        _queue.Dispose();
    }

    /// <summary>Asks the leader for a full resync now (ignored by a follower).</summary>
    public void RequestResync() => _resyncRequests.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Settings.Enabled) return;
        CancellationTokenSource? leading = null;
        Task? work = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var leader = await leadership.TryHoldAsync(stoppingToken);
                if (leader && leading is null)
                {
                    logger.LogInformation("This worker now leads reconciliation");
                    leading = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                    work = LeadAsync(leading.Token);
                }
                else if (!leader && leading is not null)
                {
                    logger.LogWarning("This worker lost reconciliation leadership");
                    await StopLeadingAsync(leading, work);
                    leading = null;
                }
                await Task.Delay(TimeSpan.FromSeconds(Settings.LeadershipCheckSeconds), clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        finally
        {
            if (leading is not null) await StopLeadingAsync(leading, work);
            await leadership.ReleaseAsync();
        }
    }

    private static async Task StopLeadingAsync(CancellationTokenSource leading, Task? work)
    {
        await leading.CancelAsync();
        try
        {
            if (work is not null) await work;
        }
        catch (OperationCanceledException) { }
        leading.Dispose();
    }

    private Task LeadAsync(CancellationToken ct) =>
        Task.WhenAll(Task.Run(() => WorkQueueAsync(ct), ct), Task.Run(() => ResyncLoopAsync(ct), ct), Task.Run(() => WatchBackendsAsync(ct), ct));

    /// <summary>One watch per backend in the registry, kept in step with it while leading: a cluster registered
    /// meanwhile gets a watch, a removed or replaced one (new kubeconfig: a new backend instance) loses its watch, and
    /// a resync covers whatever happened on a new backend before its watch began.</summary>
    private async Task WatchBackendsAsync(CancellationToken ct)
    {
        var watches = new Dictionary<IRuntimeBackend, (CancellationTokenSource Stop, Task Loop)>(ReferenceEqualityComparer.Instance);
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnChanged() => changed.Writer.TryWrite(true);
        backends.Changed += OnChanged;
        var first = true;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var current = new HashSet<IRuntimeBackend>(backends.All, ReferenceEqualityComparer.Instance);
                foreach (var gone in watches.Keys.Where(b => !current.Contains(b)).ToList())
                {
                    var (stop, loop) = watches[gone];
                    watches.Remove(gone);
                    await stop.CancelAsync();
                    _ = loop.ContinueWith(_ => stop.Dispose(), TaskScheduler.Default);
                }
                var started = false;
                foreach (var backend in current.Where(b => !watches.ContainsKey(b)))
                {
                    var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    watches[backend] = (stop, Task.Run(() => WatchAsync(backend, stop.Token), CancellationToken.None));
                    started = true;
                }
                // Leadership began with a full resync; a backend that arrives later needs one of its own.
                if (started && !first) RequestResync();
                first = false;
                await changed.Reader.ReadAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            backends.Changed -= OnChanged;
            foreach (var (stop, _) in watches.Values) await stop.CancelAsync();
            await Task.WhenAll(watches.Values.Select(w => w.Loop)).ContinueWith(_ => { }, TaskScheduler.Default);
            foreach (var (stop, _) in watches.Values) stop.Dispose();
        }
    }

    /// <summary>A full pass when leadership begins, then every resync period or on request.</summary>
    private async Task ResyncLoopAsync(CancellationToken ct)
    {
        DateTimeOffset? lastResourceCheck = null;
        while (!ct.IsCancellationRequested)
        {
            ResyncsStarted++;
            try
            {
                var pass = await resync.RunAsync(ct);
                // Asked first: a resource check reconciles the containers too, and the queue keeps the first request.
                if (lastResourceCheck is not { } last || clock.GetUtcNow() - last >= Settings.ResourceCheck)
                {
                    lastResourceCheck = clock.GetUtcNow();
                    foreach (var id in pass.WithResources) _queue.Request(id, TimeSpan.Zero, ReconcileTriggers.ResourceCheck);
                }
                foreach (var id in pass.NeedLook) _queue.Request(id, TimeSpan.Zero, "resync");
                logger.LogDebug("Resync: {Environments} environments in {Batches} batches, {Drifted} to look at",
                    pass.Environments, pass.Batches, pass.NeedLook.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Full resync failed; the next one comes in {Seconds}s", Settings.ResyncSeconds);
            }
            ResyncsFinished++;
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var timer = Task.Delay(Settings.ResyncWithJitter(), clock, wait.Token);
            var asked = _resyncRequests.Reader.ReadAsync(wait.Token).AsTask();
            await Task.WhenAny(timer, asked);
            await wait.CancelAsync();
            ct.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Follows one backend's events; after the stream breaks, reconnects with a growing pause and resyncs,
    /// since events may have been missed meanwhile.</summary>
    private async Task WatchAsync(IRuntimeBackend backend, CancellationToken ct)
    {
        var pause = TimeSpan.FromSeconds(1);
        var broken = false;
        while (!ct.IsCancellationRequested)
        {
            var started = clock.GetUtcNow();
            try
            {
                if (broken) RequestResync();
                await foreach (var change in backend.WatchAsync(ct))
                {
                    if (change.Change == InstanceChange.EndedFromOutside && change.InstanceName is { } name) endings.EndedFromOutside(name);
                    if (change.EnvironmentId is { } environmentId && change.Change != InstanceChange.None)
                        _queue.Request(environmentId, TimeSpan.FromMilliseconds(Settings.DebounceMilliseconds), $"engine event {change.Action ?? change.Change.ToString()}");
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Watching backend {Backend} broke: {Reason}", backend.Name, e.Message);
            }
            broken = true;
            if (clock.GetUtcNow() - started > TimeSpan.FromSeconds(30)) pause = TimeSpan.FromSeconds(1);
            await Task.Delay(pause, clock, ct);
            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
        }
    }

    private async Task WorkQueueAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var due = await _queue.TakeDueAsync(ct);
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Settings.Parallelism, CancellationToken = ct },
                async (item, token) => await ReconcileOneAsync(item.EnvironmentId, item.Trigger, token));
        }
    }

    private async Task ReconcileOneAsync(Guid environmentId, string trigger, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<EnvironmentReconciler>().ReconcileAsync(environmentId, trigger, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            if (outcome.RecheckAt is { } at) _queue.Request(environmentId, at - now, "back-off over");
            else if (outcome.Result == ReconcileResult.Unreachable) _queue.Request(environmentId, TimeSpan.FromSeconds(5), "retry");
            // A deploy holds the lock: it settles the state itself; look once more afterwards in case drift came meanwhile.
            else if (outcome.Result == ReconcileResult.Busy) _queue.Request(environmentId, TimeSpan.FromSeconds(2), trigger);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Reconciling environment {EnvironmentId} failed; trying again shortly", environmentId);
            _queue.Request(environmentId, TimeSpan.FromSeconds(5), "retry");
        }
    }
}
