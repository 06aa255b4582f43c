using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Docker.DotNet.Models;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

// What the engine reports back: state, lifecycle events and logs.
public sealed partial class DockerBackend
{
    /// <summary>The engine's lifecycle actions a drift watcher cares about ("remove" is Podman's "destroy").</summary>
    private static readonly HashSet<string> WatchedActions = ["start", "die", "stop", "kill", "oom", "destroy", "remove"];

    public async Task<ObservedState> ObserveAsync(Guid environmentId, CancellationToken ct)
    {
        var containers = await ListAsync(all: true, ct, DockerLabels.Is(DockerLabels.EnvironmentId, environmentId));
        var instances = new List<ObservedInstance>();
        foreach (var container in containers)
        {
            ContainerInspectResponse inspected;
            try
            {
                inspected = await _client.Containers.InspectContainerAsync(container.ID, ct);
            }
            catch (Exception e) when (DockerFailures.IsNotFound(e))
            {
                continue;   // removed between list and inspect
            }
            var labels = inspected.Config?.Labels ?? container.Labels ?? new Dictionary<string, string>();
            var port = labels.TryGetValue(DockerLabels.Ordinal, out _) && inspected.Config?.ExposedPorts is { Count: > 0 } exposed
                ? int.Parse(exposed.Keys.First().Split('/')[0], System.Globalization.CultureInfo.InvariantCulture)
                : 0;
            var status = inspected.State?.Status ?? container.State;
            var state = StateOf(status);
            var livenessFailure = state == InstanceState.Running ? _liveness.FailureOf(inspected.ID) : null;
            if (livenessFailure is not null) state = InstanceState.Unhealthy;
            instances.Add(new ObservedInstance(
                inspected.ID,
                inspected.Name.TrimStart('/'),
                DockerLabels.ParseGuid(labels, DockerLabels.DeploymentId),
                DockerLabels.ImageOf(labels, inspected.Config?.Image ?? container.Image, inspected.Image),
                state,
                state == InstanceState.Exited ? inspected.State?.ExitCode : null,
                state == InstanceState.Running ? EndpointOf(inspected, port) : null,
                new Dictionary<string, string>(labels)) { RuntimeState = livenessFailure ?? RuntimeStateOf(state, status) });
        }
        return new ObservedState(environmentId, InstanceGroups.Fold(instances));
    }

    /// <summary>The engine's status in the shared words. A "dead" container (one whose removal failed) has exited like
    /// any other; "paused" has no shared word and keeps the engine's (<see cref="RuntimeStateOf"/>).</summary>
    private static InstanceState StateOf(string? status) => status?.ToLowerInvariant() switch
    {
        "created" or "configured" or "initialized" => InstanceState.Created,
        "running" => InstanceState.Running,
        "exited" or "stopped" or "dead" => InstanceState.Exited,
        "restarting" => InstanceState.Restarting,
        "removing" => InstanceState.Removing,
        _ => InstanceState.Unknown,
    };

    private static string? RuntimeStateOf(InstanceState state, string? status) =>
        state == InstanceState.Unknown && !string.IsNullOrEmpty(status) ? status.ToLowerInvariant() : null;

    public async IAsyncEnumerable<BackendEvent> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var filters = DockerLabels.Filter(DockerLabels.Is(DockerLabels.Managed, "true"));
        filters["type"] = new Dictionary<string, bool> { ["container"] = true };
        var events = Channel.CreateUnbounded<BackendEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Whoever watches (the reconciler's leader) also runs the liveness probes, whose failures are events too.
        var liveness = _liveness.RunAsync(e => events.Writer.TryWrite(e), stop.Token);
        _ = liveness.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var monitor = _client.System.MonitorEventsAsync(
            new ContainerEventsParameters { Filters = filters },
            new Progress(message =>
            {
                if (ToBackendEvent(message) is { } backendEvent) events.Writer.TryWrite(backendEvent);
            }),
            stop.Token);
        _ = monitor.ContinueWith(done => events.Writer.TryComplete(done.IsFaulted ? done.Exception.GetBaseException() : null),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await foreach (var backendEvent in events.Reader.ReadAllAsync(ct)) yield return backendEvent;
        }
        finally
        {
            stop.Cancel();
        }
    }

    private sealed class Progress(Action<Message> report) : IProgress<Message>
    {
        public void Report(Message value) => report(value);
    }

    private BackendEvent? ToBackendEvent(Message? message)
    {
        var attributes = message?.Actor?.Attributes;
        if (message?.Action is not { } action || attributes is null || !WatchedActions.Contains(action)) return null;
        // The engine filter should have done this; checking again keeps foreign containers out if it did not.
        if (!attributes.TryGetValue(DockerLabels.Managed, out var managed) || managed != "true") return null;

        attributes.TryGetValue("name", out var name);
        var exitCode = attributes.TryGetValue("exitCode", out var code) || attributes.TryGetValue("containerExitCode", out code)
            ? long.TryParse(code, out var parsed) ? parsed : (long?)null
            : null;
        var at = message.TimeNano is > 0 ? DateTime.UnixEpoch.AddTicks(message.TimeNano.Value / 100)
            : message.Time is > 0 ? DateTime.UnixEpoch.AddSeconds(message.Time.Value)
            : _clock.GetUtcNow().UtcDateTime;
        var level = action is "die" or "oom" or "kill" ? BackendEventLevel.Warning : BackendEventLevel.Info;
        return new BackendEvent(at, DockerLabels.ParseGuid(attributes, DockerLabels.EnvironmentId), BackendEventPhase.Instance,
            exitCode is null ? $"Instance {name}: {action}" : $"Instance {name}: {action} (exit code {exitCode})", level)
        {
            DeploymentId = DockerLabels.ParseGuid(attributes, DockerLabels.DeploymentId),
            // A sidecar's event is its instance's: the reconciler knows instances, not their containers.
            InstanceName = attributes.TryGetValue(DockerLabels.Instance, out var instance) ? instance : name,
            Action = action,
            Change = ChangeOf(action),
            ExitCode = exitCode,
        };
    }

    /// <summary>A "kill" or "stop" comes from outside (<c>docker kill</c>/<c>stop</c>, then "die"); "die" and "oom" alone
    /// are the instance ending by itself.</summary>
    private static InstanceChange ChangeOf(string action) => action switch
    {
        "start" => InstanceChange.Started,
        "kill" or "stop" => InstanceChange.EndedFromOutside,
        "die" or "oom" or "destroy" or "remove" => InstanceChange.Ended,
        _ => InstanceChange.None,
    };

    public async IAsyncEnumerable<LogLine> LogsAsync(
        Guid environmentId, int tail, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        var containers = await ListAsync(all: true, ct, DockerLabels.Is(DockerLabels.EnvironmentId, environmentId));
        var lines = Channel.CreateUnbounded<LogLine>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var readers = containers
            .OrderBy(c => c.Names.First(), StringComparer.Ordinal)
            .Select(c => ReadLogsAsync(c.ID, c.Names.First().TrimStart('/'), tail, follow, lines.Writer, stop.Token))
            .ToList();
        _ = Task.WhenAll(readers).ContinueWith(done => lines.Writer.TryComplete(done.Exception?.GetBaseException()),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(ct)) yield return line;
        }
        finally
        {
            stop.Cancel();
        }
    }

    private async Task ReadLogsAsync(
        string containerId, string name, int tail, bool follow, ChannelWriter<LogLine> writer, CancellationToken ct)
    {
        try
        {
            using var stream = await _client.Containers.GetContainerLogsAsync(containerId, new ContainerLogsParameters
            {
                ShowStdout = true,
                ShowStderr = true,
                Timestamps = true,
                Follow = follow,
                Tail = tail.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, ct);
            await foreach (var line in DockerLogReader.ReadAsync(stream, name, ct)) await writer.WriteAsync(line, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e) when (DockerFailures.IsNotFound(e)) { }
    }

    /// <summary>The container's last lines, for a failure a developer can act on.</summary>
    private async Task<IReadOnlyList<string>> LastLogLinesAsync(string containerId, CancellationToken ct)
    {
        try
        {
            using var stream = await _client.Containers.GetContainerLogsAsync(containerId, new ContainerLogsParameters
            {
                ShowStdout = true,
                ShowStderr = true,
                Tail = _options.FailureLogLines.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }, ct);
            var lines = new List<string>();
            await foreach (var line in DockerLogReader.ReadAsync(stream, "", ct, timestamps: false)) lines.Add(line.Text);
            return lines;
        }
        catch (Exception e) when (DockerFailures.IsNotFound(e))
        {
            return [];
        }
    }
}
