using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Kubernetes;

// What the cluster reports back: pods, lifecycle events and logs.
public sealed partial class KubernetesBackend
{
    public async Task<ObservedState> ObserveAsync(Guid environmentId, CancellationToken ct)
    {
        try
        {
            if (await FindNamespaceAsync(environmentId, ct) is not { } ns) return new ObservedState(environmentId, []);
            var pods = await PodsAsync(ns, environmentId, ct);
            var services = await _calls.RunAsync("list services", t => _client.CoreV1.ListNamespacedServiceAsync(ns,
                labelSelector: KubeLabels.Is(KubeLabels.EnvironmentId, environmentId), cancellationToken: t), ct);
            var service = services.Items.FirstOrDefault();
            var instances = pods.Select(pod => Observed(pod, ns, service)).OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
            return new ObservedState(environmentId, instances);
        }
        catch (ClusterFailure failure)
        {
            throw new InvalidOperationException(failure.Message, failure);
        }
    }

    /// <summary>The environment's namespace, found by its owner label (so a namespace Paddock does not own is never observed).</summary>
    private async Task<string?> FindNamespaceAsync(Guid environmentId, CancellationToken ct)
    {
        var namespaces = await _calls.RunAsync("list namespaces", t => _client.CoreV1.ListNamespaceAsync(
            labelSelector: KubeLabels.Is(KubeLabels.EnvironmentId, environmentId), cancellationToken: t), ct);
        return namespaces.Items.FirstOrDefault()?.Metadata.Name;
    }

    private async Task<IList<V1Pod>> PodsAsync(string ns, Guid environmentId, CancellationToken ct) =>
        (await _calls.RunAsync("list pods", t => _client.CoreV1.ListNamespacedPodAsync(ns,
            labelSelector: KubeLabels.Is(KubeLabels.EnvironmentId, environmentId), cancellationToken: t), ct)).Items;

    private static ObservedInstance Observed(V1Pod pod, string ns, V1Service? service)
    {
        var container = MainStatus(pod);
        // A sidecar that does not run makes the whole pod broken, as Kubernetes' own readiness does.
        var broken = container?.State?.Running is null ? null
            : pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name != Manifests.ContainerName && c.State?.Running is null);
        var state = StateOf(pod, broken ?? container);
        var labels = new Dictionary<string, string>(pod.Metadata.Labels ?? new Dictionary<string, string>());
        var port = service?.Spec?.Ports?.FirstOrDefault()?.Port;
        return new ObservedInstance(
            pod.Metadata.Uid,
            pod.Metadata.Name,
            KubeLabels.ParseGuid(labels, KubeLabels.DeploymentId),
            (pod.Spec?.Containers?.FirstOrDefault(c => c.Name == Manifests.ContainerName) ?? pod.Spec?.Containers?.FirstOrDefault())?.Image
                ?? container?.Image ?? "",
            state,
            (broken ?? container)?.State?.Terminated?.ExitCode ?? (broken ?? container)?.LastState?.Terminated?.ExitCode,
            state == InstanceState.Running && service is not null && port is not null && RolloutTracker.IsReady(pod)
                ? new HostEndpoint($"{service.Metadata.Name}.{ns}.svc.cluster.local", port.Value)
                : null,
            labels);
    }

    /// <summary>The status of the container the Service routes to (the first, for pods Paddock did not make).</summary>
    private static V1ContainerStatus? MainStatus(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == Manifests.ContainerName) ?? pod.Status?.ContainerStatuses?.FirstOrDefault();

    private static InstanceState StateOf(V1Pod pod, V1ContainerStatus? container)
    {
        if (pod.Metadata.DeletionTimestamp is not null) return InstanceState.Removing;
        if (container?.State?.Waiting?.Reason == "CrashLoopBackOff") return InstanceState.Restarting;
        if (container?.State?.Running is not null) return InstanceState.Running;
        if (container?.State?.Terminated is not null) return InstanceState.Exited;
        return pod.Status?.Phase switch
        {
            "Pending" => InstanceState.Created,
            "Running" => InstanceState.Running,
            "Succeeded" or "Failed" => InstanceState.Exited,
            _ => InstanceState.Unknown,
        };
    }

    /// <summary>Changes of Paddock's Pods and Deployments in every namespace, as instance events for the drift
    /// reconciler. Each watch resumes from the last resourceVersion it saw; when the server answers 410 Gone
    /// (history compacted), it lists again and says so with a "resync" event, because changes may have been missed.</summary>
    public async IAsyncEnumerable<BackendEvent> WatchAsync([EnumeratorCancellation] CancellationToken ct)
    {
        var events = Channel.CreateUnbounded<BackendEvent>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var selector = KubeLabels.Is(KubeLabels.ManagedBy, KubeLabels.ManagedByValue);
        var replicas = new Dictionary<string, int?>();
        var watches = Task.WhenAll(
            WatchLoopAsync<V1Pod>("pods",
                async t => (await _client.CoreV1.ListPodForAllNamespacesAsync(labelSelector: selector, cancellationToken: t)).Metadata.ResourceVersion,
                (rv, onError, t) => _client.CoreV1.WatchListPodForAllNamespacesAsync(labelSelector: selector, resourceVersion: rv,
                    timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: t),
                (type, pod) => PodEvent(type, pod), events.Writer, stop.Token),
            WatchLoopAsync<V1Deployment>("deployments",
                async t =>
                {
                    // Remember the listed replica counts, so the first change after (re)listing can say what differed.
                    var list = await _client.AppsV1.ListDeploymentForAllNamespacesAsync(labelSelector: selector, cancellationToken: t);
                    foreach (var deployment in list.Items) replicas[DeploymentKey(deployment)] = deployment.Spec?.Replicas;
                    return list.Metadata.ResourceVersion;
                },
                (rv, onError, t) => _client.AppsV1.WatchListDeploymentForAllNamespacesAsync(labelSelector: selector, resourceVersion: rv,
                    timeoutSeconds: WatchTimeoutSeconds, onError: onError, cancellationToken: t),
                (type, deployment) => DeploymentEvent(type, deployment, replicas), events.Writer, stop.Token));
        _ = watches.ContinueWith(done => events.Writer.TryComplete(done.Exception?.GetBaseException()),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await foreach (var backendEvent in events.Reader.ReadAllAsync(ct)) yield return backendEvent;
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    private async Task WatchLoopAsync<T>(
        string what,
        Func<CancellationToken, Task<string>> listVersion,
        Func<string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch,
        Func<WatchEventType, T, BackendEvent?> toEvent,
        ChannelWriter<BackendEvent> writer,
        CancellationToken ct) where T : IKubernetesObject<V1ObjectMeta>
    {
        var resourceVersion = await _calls.RunAsync($"list {what}", listVersion, ct);
        while (!ct.IsCancellationRequested)
        {
            Exception? error = null;
            // The server ends the watch after WatchTimeout; should it not, the client ends it a little later.
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bounded.CancelAfter(_options.WatchTimeout + WatchTimeoutGrace);
            try
            {
                await foreach (var (type, item) in watch(resourceVersion, e => error ??= e, bounded.Token))
                {
                    if (item.Metadata?.ResourceVersion is { Length: > 0 } seen) resourceVersion = seen;
                    if (type != WatchEventType.Bookmark && toEvent(type, item) is { } backendEvent) await writer.WriteAsync(backendEvent, ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException)
            {
                // Past its time and the server did not end it: watch again from the last resourceVersion seen.
            }
            catch (Exception e) when (e is HttpRequestException or IOException or HttpOperationException)
            {
                error = e;
            }
            if (IsGone(error))
            {
                resourceVersion = await _calls.RunAsync($"list {what}", listVersion, ct);
                await writer.WriteAsync(new BackendEvent(_clock.GetUtcNow().UtcDateTime, null, BackendEventPhase.Instance,
                    $"The {what} watch expired (410 Gone); listed again at resourceVersion {resourceVersion}: observe again, changes may have been missed",
                    BackendEventLevel.Warning) { Action = "resync" }, ct);
            }
            else if (error is not null)
            {
                await Task.Delay(_options.RetryDelay, ct);
            }
        }
    }

    private static readonly TimeSpan WatchTimeoutGrace = TimeSpan.FromSeconds(1);

    private int WatchTimeoutSeconds => Math.Max(1, (int)Math.Ceiling(_options.WatchTimeout.TotalSeconds));

    private static bool IsGone(Exception? error) =>
        error is KubernetesException { Status.Code: 410 } or HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Gone };

    private BackendEvent? PodEvent(WatchEventType type, V1Pod pod)
    {
        var container = pod.Status?.ContainerStatuses?.FirstOrDefault();
        var (action, level) = type switch
        {
            WatchEventType.Added => ("create", BackendEventLevel.Info),
            WatchEventType.Deleted => ("destroy", BackendEventLevel.Warning),
            _ when container?.State?.Waiting?.Reason is { } reason => (reason, BackendEventLevel.Warning),
            _ when container?.State?.Terminated is not null => ("die", BackendEventLevel.Warning),
            _ when RolloutTracker.IsReady(pod) => ("ready", BackendEventLevel.Info),
            _ when container?.State?.Running is not null => ("start", BackendEventLevel.Info),
            _ => ("update", BackendEventLevel.Info),
        };
        var labels = pod.Metadata.Labels;
        var exitCode = container?.State?.Terminated?.ExitCode ?? container?.LastState?.Terminated?.ExitCode;
        return new BackendEvent(_clock.GetUtcNow().UtcDateTime, KubeLabels.ParseGuid(labels, KubeLabels.EnvironmentId),
            BackendEventPhase.Instance, $"Pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}: {action}", level)
        {
            DeploymentId = KubeLabels.ParseGuid(labels, KubeLabels.DeploymentId),
            InstanceName = pod.Metadata.Name,
            Action = action,
            Change = action switch
            {
                "start" => InstanceChange.Started,
                "die" or "destroy" => InstanceChange.Ended,
                // Created, ready, updated or waiting (CrashLoopBackOff, ...): the start, death or deletion that
                // matters comes as its own event.
                _ => InstanceChange.None,
            },
            ExitCode = action == "die" ? exitCode : null,
        };
    }

    private BackendEvent? DeploymentEvent(WatchEventType type, V1Deployment deployment, Dictionary<string, int?> replicas)
    {
        var key = DeploymentKey(deployment);
        var now = deployment.Spec?.Replicas;
        var known = replicas.TryGetValue(key, out var before);
        replicas[key] = now;
        string? message = type switch
        {
            WatchEventType.Deleted => $"Deployment {key} was deleted",
            WatchEventType.Modified when known && before != now => $"Deployment {key}: replicas changed from {before} to {now}",
            _ => null,
        };
        if (message is null) return null;
        return new BackendEvent(_clock.GetUtcNow().UtcDateTime, KubeLabels.ParseGuid(deployment.Metadata.Labels, KubeLabels.EnvironmentId),
            BackendEventPhase.Instance, message, BackendEventLevel.Warning)
        {
            Action = type == WatchEventType.Deleted ? "deployment-deleted" : "deployment-scaled",
        };
    }

    private static string DeploymentKey(V1Deployment deployment) => $"{deployment.Metadata.NamespaceProperty}/{deployment.Metadata.Name}";

    public async IAsyncEnumerable<LogLine> LogsAsync(Guid environmentId, int tail, bool follow, [EnumeratorCancellation] CancellationToken ct)
    {
        IList<V1Pod> pods = [];
        string? ns;
        try
        {
            ns = await FindNamespaceAsync(environmentId, ct);
            if (ns is not null) pods = await PodsAsync(ns, environmentId, ct);
        }
        catch (ClusterFailure failure)
        {
            throw new InvalidOperationException(failure.Message, failure);
        }
        if (ns is null) yield break;

        var lines = Channel.CreateUnbounded<LogLine>(new UnboundedChannelOptions { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var readers = pods.OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .Select(pod => ReadLogsAsync(ns, pod.Metadata.Name, tail, follow, lines.Writer, stop.Token)).ToList();
        _ = Task.WhenAll(readers).ContinueWith(done => lines.Writer.TryComplete(done.Exception?.GetBaseException()),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            await foreach (var line in lines.Reader.ReadAllAsync(ct)) yield return line;
        }
        finally
        {
            await stop.CancelAsync();
        }
    }

    private async Task ReadLogsAsync(string ns, string pod, int tail, bool follow, ChannelWriter<LogLine> writer, CancellationToken ct)
    {
        try
        {
            // The main container's: a pod of several containers needs one named.
            await using var stream = await _client.CoreV1.ReadNamespacedPodLogAsync(pod, ns, container: Manifests.ContainerName,
                follow: follow, tailLines: tail, timestamps: true, cancellationToken: ct);
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(ct) is { } raw)
            {
                // "2024-05-01T10:00:00.123456789Z text": the timestamp the kubelet recorded, then the line.
                var space = raw.IndexOf(' ');
                var at = space > 0 && DateTime.TryParse(raw[..space], CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var parsed) ? parsed : (DateTime?)null;
                await writer.WriteAsync(new LogLine(pod, LogStream.Stdout, at, at is null ? raw : raw[(space + 1)..]), ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (HttpOperationException e) when (e.Response.StatusCode is System.Net.HttpStatusCode.NotFound or System.Net.HttpStatusCode.BadRequest)
        {
            // The pod went away, or its container never started: it has no log to show.
        }
    }
}
