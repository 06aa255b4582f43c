using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;
using Paddock.Persistence;
using Paddock.Persistence.Events;

namespace Paddock.Workers.Deployments;

/// <summary>A running deployment's one way to the database while backend calls are in flight: the backend reports
/// progress from its own threads, a timer heartbeats, and the job itself writes events, but a DbContext takes one
/// caller at a time. Everything queues here and runs in order on a single pump; events that queued up behind each
/// other are written together, in one statement. The heartbeat also looks for a cancel request or a deleted
/// environment, and then stops the backend call through <see cref="Stopping"/>. Nothing is written before
/// <c>writesAllowed</c> says whether the deployment started: a backend may begin while the job still records the
/// transition to Deploying, and its events must follow that one (or, if the deployment never started, not be written).</summary>
internal sealed class DeploymentJournal : IProgress<BackendEvent>, IAsyncDisposable
{
    private static readonly TimeSpan PullEventSpacing = TimeSpan.FromMilliseconds(500);

    private readonly PaddockDbContext _db;
    private readonly EnvironmentEventLog _events;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly Guid _deploymentId;
    private readonly Guid _environmentId;
    private readonly Channel<Work> _work = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task<bool> _writesAllowed;
    private readonly Task _pump;
    private readonly Task _heartbeat;
    private readonly Lock _pullThrottle = new();
    private DateTime _lastPullEvent = DateTime.MinValue;

    public DeploymentJournal(PaddockDbContext db, EnvironmentEventLog events, TimeProvider clock, ILogger logger,
        Guid deploymentId, Guid environmentId, TimeSpan heartbeatInterval, Task<bool> writesAllowed, CancellationToken jobToken)
    {
        _writesAllowed = writesAllowed;
        _db = db;
        _events = events;
        _clock = clock;
        _logger = logger;
        _deploymentId = deploymentId;
        _environmentId = environmentId;
        _pump = Task.Run(PumpAsync, CancellationToken.None);
        _heartbeat = Task.Run(() => HeartbeatAsync(heartbeatInterval, jobToken), CancellationToken.None);
    }

    /// <summary>Why the deployment must stop (cancel requested, environment deleted), once the heartbeat saw it.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Cancelled when <see cref="StopReason"/> is set: pass it to backend calls.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public void Report(BackendEvent value)
    {
        // The job closes every failure with its own event, which carries the same reason and the log lines.
        if (value.Phase == BackendEventPhase.Failed) return;
        if (value.Phase == BackendEventPhase.Pull && value.Level == BackendEventLevel.Info && IsPullProgress(value.Message))
        {
            var now = _clock.GetUtcNow().UtcDateTime;
            lock (_pullThrottle)
            {
                if (now - _lastPullEvent < PullEventSpacing) return;
                _lastPullEvent = now;
            }
        }
        var level = value.Level switch
        {
            BackendEventLevel.Warning => EventLevel.Warning,
            BackendEventLevel.Error => EventLevel.Error,
            _ => EventLevel.Info,
        };
        // Stamped with the backend's time of the step: the pump may write it a while later, behind earlier events.
        _work.Writer.TryWrite(new EventWork(new PendingEvent(value.At, _deploymentId, value.Phase.ToString().ToLowerInvariant(), level, value.Message), null));
    }

    /// <summary>Queues an event of the job's own, stamped now; completes once it is written.</summary>
    public Task AppendAsync(string phase, EventLevel level, string message)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = new PendingEvent(_clock.GetUtcNow().UtcDateTime, _deploymentId, phase, level, message);
        if (!_work.Writer.TryWrite(new EventWork(pending, written)))
            written.SetException(new InvalidOperationException("The deployment journal is closed."));
        return written.Task;
    }

    /// <summary>Runs <paramref name="action"/> on the pump, in turn with the events (the heartbeat's writes).</summary>
    private Task RunAsync(Func<Task> action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_work.Writer.TryWrite(new ActionWork(action, done)))
            done.SetException(new InvalidOperationException("The deployment journal is closed."));
        return done.Task;
    }

    /// <summary>Looks for a reason to stop right now (between steps), rather than at the next heartbeat. Reads
    /// through <paramref name="context"/>, not the queue: the check should not wait behind the events written so far.</summary>
    public async Task<string?> CheckStopAsync(PaddockDbContext context)
    {
        await CheckAsync(context);
        return StopReason;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _heartbeat;
        _work.Writer.TryComplete();
        await _pump;
        _stopping.Dispose();
    }

    private static bool IsPullProgress(string message) =>
        !message.StartsWith("Pulling ", StringComparison.Ordinal) && !message.StartsWith("Pulled ", StringComparison.Ordinal);

    private abstract record Work;

    /// <param name="Written">Completed once written (or failed), for an event the job waits on.</param>
    private sealed record EventWork(PendingEvent Event, TaskCompletionSource? Written) : Work;

    private sealed record ActionWork(Func<Task> Action, TaskCompletionSource Done) : Work;

    private async Task PumpAsync()
    {
        var writing = await _writesAllowed;
        await foreach (var next in _work.Reader.ReadAllAsync())
        {
            if (next is ActionWork action)
            {
                Complete(action.Done, await RecordAsync(action.Action));
                continue;
            }
            var batch = new List<EventWork> { (EventWork)next };
            while (_work.Reader.TryPeek(out var queued) && queued is EventWork && _work.Reader.TryRead(out var more))
                batch.Add((EventWork)more);
            if (!writing)
            {
                foreach (var unwritten in batch.Select(e => e.Written).OfType<TaskCompletionSource>())
                    unwritten.SetException(new InvalidOperationException("The deployment did not start; its events are not recorded."));
                continue;
            }
            var failure = await RecordAsync(() => _events.AppendManyAsync(_environmentId, batch.Select(e => e.Event).ToList(), CancellationToken.None));
            foreach (var written in batch.Select(e => e.Written).OfType<TaskCompletionSource>())
                Complete(written, failure);
        }
    }

    private static void Complete(TaskCompletionSource done, Exception? failure)
    {
        if (failure is null) done.SetResult();
        else done.SetException(failure);
    }

    /// <summary>Runs one write; a failure is logged (progress is best effort) and handed back, not thrown.</summary>
    private async Task<Exception?> RecordAsync(Func<Task> write)
    {
        try
        {
            await write();
            return null;
        }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Could not record progress of deployment {DeploymentId}", _deploymentId);
            // A failed save leaves its entities tracked; the job reloads what it changes, so forget them.
            _db.ChangeTracker.Clear();
            return e;
        }
    }

    private async Task HeartbeatAsync(TimeSpan interval, CancellationToken jobToken)
    {
        using var timer = new PeriodicTimer(interval, _clock);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(jobToken, _stopping.Token);
        try
        {
            while (await timer.WaitForNextTickAsync(linked.Token))
                await RunAsync(BeatAndCheckAsync);
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            _logger.LogWarning(e, "Heartbeat of deployment {DeploymentId} stopped", _deploymentId);
        }
    }

    private async Task BeatAndCheckAsync()
    {
        if (StopReason is not null) return;
        var now = _clock.GetUtcNow().UtcDateTime;
        await _db.Deployments.Where(d => d.Id == _deploymentId && d.Status == DeploymentStatus.Deploying)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.HeartbeatAt, now));
        await CheckAsync(_db);
    }

    /// <summary>One read: between steps the job only needs to know whether to stop; the heartbeat has its own timer.</summary>
    private async Task CheckAsync(PaddockDbContext context)
    {
        if (StopReason is not null) return;
        var reason = await DeploymentStop.ReasonAsync(context, _deploymentId);
        if (reason is null) return;
        StopReason = reason;
        await _stopping.CancelAsync();
    }
}
