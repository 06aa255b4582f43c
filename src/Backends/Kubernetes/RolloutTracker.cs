using k8s;
using k8s.Autorest;
using k8s.Models;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Kubernetes;

/// <summary>Follows one Deployment's rollout: woken by watches on the namespace's Pods, ReplicaSets and Deployments
/// (with a slow poll as a safety net), it reads the Deployment, the new deployment's ReplicaSets and Pods, reports
/// "2/3 pods ready", and ends with the ready pods or the first reason Kubernetes gives why they cannot become ready.</summary>
internal sealed class RolloutTracker(k8s.Kubernetes client, KubeCalls calls, KubernetesBackendOptions options, TimeProvider clock)
{
    private static readonly HashSet<string> PullFailures = ["ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull"];

    public async Task<ApplyResult> WaitAsync(WorkloadSpec spec, long generation, DeploymentEvents events, CancellationToken ct)
    {
        var ns = spec.ResourceName.Value;
        var name = Manifests.WorkloadName(spec);
        using var wake = new SemaphoreSlim(0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var selector = KubeLabels.Is(KubeLabels.EnvironmentId, spec.EnvironmentId);
        // Kubernetes itself gives up after progressDeadlineSeconds; this is only the bound for a cluster that never says so.
        var limit = TimeSpan.FromSeconds(spec.HealthCheck.TimeoutSeconds) + TimeSpan.FromSeconds(30);
        var giveUpAt = clock.GetUtcNow() + limit;
        // The watches end on the server by the same bound: cancelling them here does not close their requests, which
        // would otherwise stay open on the API server (and in this process) until its own watch timeout, per rollout.
        var watchSeconds = (int)Math.Ceiling(limit.TotalSeconds);
        var watches = Task.WhenAll(
            WakeOnChangesAsync(() => client.CoreV1.WatchListNamespacedPodAsync(ns, labelSelector: selector, timeoutSeconds: watchSeconds, cancellationToken: stop.Token), wake),
            // A ReplicaSet that cannot create its pods (a quota exceeded, admission refused) changes only itself.
            WakeOnChangesAsync(() => client.AppsV1.WatchListNamespacedReplicaSetAsync(ns, labelSelector: selector, timeoutSeconds: watchSeconds, cancellationToken: stop.Token), wake),
            WakeOnChangesAsync(() => client.AppsV1.WatchListNamespacedDeploymentAsync(ns, labelSelector: selector, timeoutSeconds: watchSeconds, cancellationToken: stop.Token), wake));

        var lastReady = -1;
        try
        {
            while (true)
            {
                V1Deployment deployment;
                try
                {
                    deployment = await calls.RunAsync("read the Deployment",
                        t => client.AppsV1.ReadNamespacedDeploymentAsync(name, ns, cancellationToken: t), ct);
                }
                catch (HttpOperationException e) when (KubeCalls.IsNotFound(e))
                {
                    return ApplyResult.Failed(ApplyFailureKind.EngineRejected, $"Deployment {ns}/{name} was deleted while it rolled out.");
                }
                var pods = (await calls.RunAsync("list the deployment's pods", t => client.CoreV1.ListNamespacedPodAsync(ns,
                    labelSelector: KubeLabels.Is(KubeLabels.DeploymentId, spec.DeploymentId), cancellationToken: t), ct)).Items
                    .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).ToList();

                var replicaSets = (await calls.RunAsync("list the deployment's ReplicaSets", t => client.AppsV1.ListNamespacedReplicaSetAsync(ns,
                    labelSelector: KubeLabels.Is(KubeLabels.DeploymentId, spec.DeploymentId), cancellationToken: t), ct)).Items;

                if (ReplicaSetFailure(replicaSets) is { } refused) return refused;
                if (await FailureAsync(spec, deployment, generation, pods, ct) is { } failure) return failure;

                var ready = pods.Where(IsReady).ToList();
                if (ready.Count != lastReady)
                {
                    lastReady = ready.Count;
                    events.Info(BackendEventPhase.Probe, $"{ready.Count}/{spec.Replicas} pods ready");
                }
                var observed = deployment.Status?.ObservedGeneration ?? 0;
                if (observed >= generation && ready.Count >= spec.Replicas)
                {
                    var instances = ready.Take(spec.Replicas).Select((pod, i) => new WorkloadInstance(
                        pod.Metadata.Uid, pod.Metadata.Name, spec.DeploymentId, i + 1,
                        new HostEndpoint(Manifests.ServiceHost(spec), spec.Port))).ToList();
                    events.Info(BackendEventPhase.Ready,
                        $"Rollout complete: {instances.Count} pod(s) ready behind {Manifests.ServiceHost(spec)}:{spec.Port}");
                    return ApplyResult.Healthy(instances);
                }
                if (clock.GetUtcNow() > giveUpAt)
                    return ApplyResult.Failed(ApplyFailureKind.ProbeTimedOut,
                        $"The rollout did not finish in time: {ready.Count}/{spec.Replicas} pods ready.",
                        await LastLogLinesAsync(ns, pods.FirstOrDefault(p => !IsReady(p)), ct));
                await wake.WaitAsync(options.RolloutPollInterval, ct);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await watches;
        }
    }

    /// <summary>The new deployment's ReplicaSet reports that it cannot create pods (ReplicaFailure, e.g. FailedCreate
    /// with "exceeded quota"): no pod will ever appear to fail on its own, so this is the rollout's failure.</summary>
    private static ApplyResult? ReplicaSetFailure(IEnumerable<V1ReplicaSet> replicaSets)
    {
        foreach (var replicaSet in replicaSets)
            if (replicaSet.Status?.Conditions?.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True") is { } failure)
                return ApplyResult.Failed(ApplyFailureKind.EngineRejected,
                    $"ReplicaSet {replicaSet.Metadata.Name} cannot create pods ({failure.Reason}): {failure.Message}");
        return null;
    }

    /// <summary>The first reason the rollout cannot succeed, or null while it still can.</summary>
    private async Task<ApplyResult?> FailureAsync(
        WorkloadSpec spec, V1Deployment deployment, long generation, IReadOnlyList<V1Pod> pods, CancellationToken ct)
    {
        var ns = spec.ResourceName.Value;
        foreach (var pod in pods)
        {
            var podName = pod.Metadata.Name;
            if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable") is { } unschedulable)
                return ApplyResult.Failed(ApplyFailureKind.EngineRejected, $"Pod {podName} cannot be scheduled (Unschedulable): {unschedulable.Message}");
            foreach (var container in pod.Status?.ContainerStatuses ?? [])
            {
                var waiting = container.State?.Waiting;
                if (waiting?.Reason is { } reason && PullFailures.Contains(reason))
                {
                    var message = waiting.Message ?? "";
                    var kind = message.Contains("unauthorized", StringComparison.OrdinalIgnoreCase)
                               || message.Contains("authentication required", StringComparison.OrdinalIgnoreCase)
                        ? ApplyFailureKind.RegistryAuthRefused
                        : message.Contains("not found", StringComparison.OrdinalIgnoreCase) || message.Contains("manifest unknown", StringComparison.OrdinalIgnoreCase)
                            ? ApplyFailureKind.ImageNotFound
                            : ApplyFailureKind.ImagePullFailed;
                    // The kubelet's message quotes what the registry (a host the user chose) answered: never passed on.
                    return ApplyResult.Failed(kind, $"Pod {podName} cannot pull image {container.Image} ({reason}): {PullReason(kind)}");
                }
                if (waiting?.Reason == "CrashLoopBackOff")
                {
                    var exit = container.LastState?.Terminated?.ExitCode;
                    return ApplyResult.Failed(ApplyFailureKind.ExitedAtStart,
                        $"Pod {podName} keeps crashing (CrashLoopBackOff, {container.RestartCount} restarts"
                        + (exit is null ? ")." : $", last exit code {exit})."),
                        await LastLogLinesAsync(ns, pod, ct));
                }
            }
        }
        if ((deployment.Status?.ObservedGeneration ?? 0) < generation) return null;
        var conditions = deployment.Status?.Conditions ?? [];
        if (conditions.FirstOrDefault(c => c.Type == "ReplicaFailure" && c.Status == "True") is { } replicaFailure)
            return ApplyResult.Failed(ApplyFailureKind.EngineRejected, $"Kubernetes cannot create the pods ({replicaFailure.Reason}): {replicaFailure.Message}");
        if (conditions.FirstOrDefault(c => c.Type == "Progressing" && c.Status == "False" && c.Reason == "ProgressDeadlineExceeded") is { } deadline)
        {
            var notReady = pods.FirstOrDefault(p => !IsReady(p));
            return ApplyResult.Failed(ApplyFailureKind.ProbeTimedOut,
                $"The rollout did not finish within {deployment.Spec.ProgressDeadlineSeconds}s (ProgressDeadlineExceeded): "
                + $"{pods.Count(IsReady)}/{spec.Replicas} pods ready. {deadline.Message}",
                await LastLogLinesAsync(ns, notReady, ct));
        }
        return null;
    }

    public static bool IsReady(V1Pod pod) =>
        pod.Metadata.DeletionTimestamp is null
        && pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private async Task<IReadOnlyList<string>> LastLogLinesAsync(string ns, V1Pod? pod, CancellationToken ct)
    {
        if (pod is null) return [];
        try
        {
            await using var stream = await client.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, ns, container: Manifests.ContainerName,
                tailLines: options.FailureLogLines, cancellationToken: ct);
            using var reader = new StreamReader(stream);
            var lines = new List<string>();
            while (await reader.ReadLineAsync(ct) is { } line) lines.Add(line);
            return lines;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or IOException)
        {
            return [];   // a container that never started has no log; the failure's reason says why
        }
    }

    private static async Task WakeOnChangesAsync<T>(Func<IAsyncEnumerable<(WatchEventType, T)>> watch, SemaphoreSlim wake)
    {
        try
        {
            await foreach (var _ in watch())
                if (wake.CurrentCount == 0) wake.Release();
        }
        catch (Exception)
        {
            // Only a wake-up signal: without it the tracker still looks again every RolloutPollInterval.
        }
    }

    private static string PullReason(ApplyFailureKind kind) => kind switch
    {
        ApplyFailureKind.RegistryAuthRefused => "the registry refused the credentials",
        ApplyFailureKind.ImageNotFound => "the image was not found on its registry",
        _ => "the registry is unreachable or did not answer as a registry",
    };
}
