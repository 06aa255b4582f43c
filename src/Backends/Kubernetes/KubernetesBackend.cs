using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Paddock.Domain.Backends;
using Paddock.Domain.Names;
using Paddock.Domain.Reconciliation;
using Paddock.Domain.Teams;

namespace Paddock.Backends.Kubernetes;

/// <summary>Runs workloads on a Kubernetes cluster: one namespace per environment holding a ConfigMap, a Secret,
/// a Deployment, a Service and (with a host pattern) an Ingress, all applied with server-side apply as field
/// manager <c>paddock</c> without force. The rollout is followed through watches until the new pods are ready
/// or Kubernetes reports why they cannot be.</summary>
public sealed partial class KubernetesBackend : IRuntimeBackend, ITrafficRouter, IDisposable
{
    public const string BackendKind = "kubernetes";
    public const string FieldManager = "paddock";

    private readonly KubernetesBackendOptions _options;
    private readonly TimeProvider _clock;
    private readonly k8s.Kubernetes _client;
    private readonly KubeCalls _calls;
    private readonly Uri _server;

    public KubernetesBackend(KubernetesBackendOptions options, TimeProvider clock)
    {
        _options = options;
        _clock = clock;
        var config = options.InCluster
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(Encoding.UTF8.GetBytes(
                options.Kubeconfig ?? throw new ArgumentException("A kubeconfig is needed unless InCluster is set.", nameof(options)))));
        _client = new k8s.Kubernetes(config);
        _server = new Uri(config.Host);
        _calls = new KubeCalls(options, _server);
    }

    public string Kind => BackendKind;
    public string Name => _options.Name;

    /// <summary>A volume mount's <c>subPath</c>: the kubelet mounts only that directory of the claim (and makes it when missing).</summary>
    public string? VolumeSubPathRefusal => null;

    /// <summary>The Deployment's ReplicaSet keeps its pods: a repair applies the Deployment again (server-side apply).</summary>
    public RepairSteps PlanRepair(ReconcilePlan plan, Guid currentDeploymentId) => RepairSteps.ApplyAgainWhole(plan, currentDeploymentId);

    public async Task<BackendInfo> DescribeAsync(CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.DescribeTimeout);
        try
        {
            var version = await _client.Version.GetCodeAsync(timeout.Token);
            return new BackendInfo(Kind, Name, true, version.GitVersion, null);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            return Unreachable(KubeCalls.CredentialsRefused(_server));
        }
        catch (HttpOperationException e)
        {
            return Unreachable($"The cluster at {_server} answered {(int)e.Response.StatusCode}: {KubeCalls.StatusMessage(e)}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Unreachable($"The cluster at {_server} did not answer within {_options.DescribeTimeout.TotalSeconds:0}s.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return Unreachable($"The cluster at {_server} is unreachable: {e.GetBaseException().Message}");
        }

        BackendInfo Unreachable(string reason) => new(Kind, Name, false, null, reason);
    }

    public async Task<ApplyResult> ApplyAsync(WorkloadSpec spec, IProgress<BackendEvent> progress, CancellationToken ct)
    {
        var events = new DeploymentEvents(spec, progress, _clock);
        try
        {
            var quota = spec.Quota ?? _options.DefaultQuota?.ToQuota();
            if (quota is not null && QuotaRefusal(spec, quota) is { } unfit)
                return Report(ApplyResult.Failed(ApplyFailureKind.EngineRejected, unfit), events);
            if (await EnsureNamespaceAsync(spec, events, ct) is { } refused) return Report(refused, events);
            var ns = spec.ResourceName.Value;
            await ApplyGuardrailsAsync(spec, quota, events, ct);
            await ApplyObjectAsync("ConfigMap", Manifests.Variables(spec), (patch, t) =>
                _client.CoreV1.PatchNamespacedConfigMapAsync(patch, Manifests.VariablesName, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            await ApplyObjectAsync("Secret", Manifests.Secrets(spec), (patch, t) =>
                _client.CoreV1.PatchNamespacedSecretAsync(patch, Manifests.SecretsName, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            if (Manifests.Files(spec) is { } files)
                await ApplyObjectAsync("ConfigMap", files, (patch, t) =>
                    _client.CoreV1.PatchNamespacedConfigMapAsync(patch, Manifests.FilesName, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            if (Manifests.SecretFiles(spec) is { } secretFiles)
                await ApplyObjectAsync("Secret", secretFiles, (patch, t) =>
                    _client.CoreV1.PatchNamespacedSecretAsync(patch, Manifests.SecretFilesName, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            foreach (var pullSecret in new[] { Manifests.ClusterRegistry(spec, _options), Manifests.Registry(spec) }.OfType<V1Secret>())
                await ApplyObjectAsync("Secret", pullSecret, (patch, t) =>
                    _client.CoreV1.PatchNamespacedSecretAsync(patch, pullSecret.Metadata.Name, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            var name = Manifests.WorkloadName(spec);
            var deployment = await ApplyObjectAsync("Deployment", Manifests.Deployment(spec, _options), (patch, t) =>
                _client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            events.Info(BackendEventPhase.Create, $"Applied Deployment {ns}/{name}: {spec.Image} x{spec.Replicas} (generation {deployment.Metadata.Generation})");
            await ApplyObjectAsync("Service", Manifests.Service(spec), (patch, t) =>
                _client.CoreV1.PatchNamespacedServiceAsync(patch, name, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            if (Manifests.Ingress(spec, _options) is { } ingress)
            {
                await ApplyObjectAsync("Ingress", ingress, (patch, t) =>
                    _client.NetworkingV1.PatchNamespacedIngressAsync(patch, name, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
                events.Info(BackendEventPhase.Network, $"Applied Ingress for http://{Manifests.IngressHost(spec, _options)}/");
            }

            var tracker = new RolloutTracker(_client, _calls, _options, _clock);
            var result = await tracker.WaitAsync(spec, deployment.Metadata.Generation ?? 1, events, ct);
            if (!result.Succeeded) return Report(result, events);
            await RemoveUnusedFilesAsync(spec, events, ct);
            return ApplyResult.Healthy(result.Instances, PublicUrl(spec));
        }
        catch (ClusterFailure failure)
        {
            return Report(ApplyResult.Failed(failure.Kind, failure.Message), events);
        }
    }

    /// <summary>The namespace's quota (or its removal, when the team has none any more) and its default-deny
    /// NetworkPolicy, before anything that creates pods.</summary>
    private async Task ApplyGuardrailsAsync(WorkloadSpec spec, EnvironmentQuota? quota, DeploymentEvents events, CancellationToken ct)
    {
        var ns = spec.ResourceName.Value;
        if (quota is not null && !quota.IsEmpty)
        {
            await ApplyObjectAsync("ResourceQuota", Manifests.Quota(spec, quota), (patch, t) =>
                _client.CoreV1.PatchNamespacedResourceQuotaAsync(patch, Manifests.QuotaName, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            events.Info(BackendEventPhase.Create, $"Applied ResourceQuota {ns}/{Manifests.QuotaName}: {quota}");
        }
        else
        {
            try
            {
                await _calls.RunAsync($"delete ResourceQuota {Manifests.QuotaName}", t =>
                    _client.CoreV1.DeleteNamespacedResourceQuotaAsync(Manifests.QuotaName, ns, cancellationToken: t), ct);
                events.Info(BackendEventPhase.Create, $"Removed ResourceQuota {ns}/{Manifests.QuotaName}: the team has no quota any more");
            }
            catch (HttpOperationException e) when (KubeCalls.IsNotFound(e)) { }
        }
        await ApplyObjectAsync("NetworkPolicy", Manifests.NetworkPolicy(spec, _options), (patch, t) =>
            _client.NetworkingV1.PatchNamespacedNetworkPolicyAsync(patch, Manifests.NetworkPolicyName, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
    }

    /// <summary>The files ConfigMap or Secret of a workload that no longer has such files. Only once the rollout is
    /// done: until then pods of the previous ReplicaSet may still start and mount them.</summary>
    private async Task RemoveUnusedFilesAsync(WorkloadSpec spec, DeploymentEvents events, CancellationToken ct)
    {
        var ns = spec.ResourceName.Value;
        if (Manifests.Files(spec) is null
            && await DeleteIfPresentAsync($"delete ConfigMap {ns}/{Manifests.FilesName}", t =>
                _client.CoreV1.DeleteNamespacedConfigMapAsync(Manifests.FilesName, ns, cancellationToken: t), ct))
            events.Info(BackendEventPhase.Create, $"Removed ConfigMap {ns}/{Manifests.FilesName}: the workload has no files any more");
        if (Manifests.SecretFiles(spec) is null
            && await DeleteIfPresentAsync($"delete Secret {ns}/{Manifests.SecretFilesName}", t =>
                _client.CoreV1.DeleteNamespacedSecretAsync(Manifests.SecretFilesName, ns, cancellationToken: t), ct))
            events.Info(BackendEventPhase.Create, $"Removed Secret {ns}/{Manifests.SecretFilesName}: the workload has no secret files any more");
    }

    private async Task<bool> DeleteIfPresentAsync(string what, Func<CancellationToken, Task> delete, CancellationToken ct)
    {
        try
        {
            await _calls.RunAsync(what, delete, ct);
            return true;
        }
        catch (HttpOperationException e) when (KubeCalls.IsNotFound(e))
        {
            return false;
        }
    }

    /// <summary>A ResourceQuota on CPU or memory makes Kubernetes refuse every pod without that limit, deep inside the
    /// rollout; say so before anything is applied.</summary>
    private static string? QuotaRefusal(WorkloadSpec spec, EnvironmentQuota quota)
    {
        var missing = new List<string>();
        if (quota.CpuMillicores is not null && spec.Limits.CpuMillicores is null) missing.Add("a CPU limit (limits.cpuMillicores)");
        if (quota.MemoryMiB is not null && spec.Limits.MemoryMiB is null) missing.Add("a memory limit (limits.memoryMiB)");
        return missing.Count == 0 ? null
            : $"The environment's quota ({quota}) limits what its pods may use, so Kubernetes refuses pods without limits: "
              + $"give the app {string.Join(" and ", missing)}.";
    }

    /// <summary>The Ingress's URL, or null when the cluster has no host pattern (then the environment is reachable
    /// only inside the cluster, at the Service's address).</summary>
    private Uri? PublicUrl(WorkloadSpec spec) =>
        Manifests.IngressHost(spec, _options) is { } host ? new Uri($"http://{host}/") : null;

    private static ApplyResult Report(ApplyResult failed, DeploymentEvents events)
    {
        events.Error(BackendEventPhase.Failed, failed.Failure!.Reason);
        return failed;
    }

    /// <summary>Server-side apply of one object; a field another manager owns is the deployment's failure, never forced.</summary>
    private async Task<T> ApplyObjectAsync<T>(string kind, T applied, Func<V1Patch, CancellationToken, Task<T>> patch, CancellationToken ct)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            return await _calls.RunAsync($"apply {kind} {applied.Metadata.Name}",
                t => patch(new V1Patch(applied, V1Patch.PatchType.ApplyPatch), t), ct);
        }
        catch (HttpOperationException e) when (KubeCalls.IsConflict(e))
        {
            throw new ClusterFailure(ApplyFailureKind.EngineRejected,
                $"{kind} {applied.Metadata.NamespaceProperty}/{applied.Metadata.Name} has fields another field manager owns, "
                + $"and Paddock does not take them over by force: {KubeCalls.StatusMessage(e)}");
        }
        catch (HttpOperationException e)
        {
            throw new ClusterFailure(ApplyFailureKind.EngineRejected,
                $"The cluster refused {kind} {applied.Metadata.Name} ({(int)e.Response.StatusCode}): {KubeCalls.StatusMessage(e)}");
        }
    }

    /// <summary>Creates or updates the environment's namespace, unless a namespace of that name exists that Paddock
    /// does not own for this environment: then the deployment fails with that reason and nothing is touched.</summary>
    private async Task<ApplyResult?> EnsureNamespaceAsync(WorkloadSpec spec, DeploymentEvents events, CancellationToken ct)
    {
        var name = spec.ResourceName.Value;
        var existing = await ReadNamespaceAsync(name, ct);
        if (existing is not null && Refusal(existing, spec.EnvironmentId) is { } refusal)
            return ApplyResult.Failed(ApplyFailureKind.EngineRejected, refusal);
        if (existing?.Metadata.DeletionTimestamp is not null)
        {
            events.Info(BackendEventPhase.Network, $"Namespace {name} is still being deleted; waiting until it is gone");
            await WaitUntilGoneAsync(name, ct);
            existing = null;
        }
        await ApplyObjectAsync("Namespace", Manifests.Namespace(spec), (patch, t) =>
            _client.CoreV1.PatchNamespaceAsync(patch, name, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
        events.Info(BackendEventPhase.Network, existing is null ? $"Created namespace {name}" : $"Namespace {name} is up to date");
        return null;
    }

    private static string? Refusal(V1Namespace ns, Guid environmentId)
    {
        var labels = ns.Metadata.Labels;
        var owner = labels is not null && labels.TryGetValue(KubeLabels.EnvironmentId, out var id) ? id : null;
        if (owner == environmentId.ToString()) return null;
        var why = owner is null ? $"it has no {KubeLabels.EnvironmentId} label" : $"its {KubeLabels.EnvironmentId} label names another environment ({owner})";
        return $"Namespace {ns.Metadata.Name} already exists and is not Paddock's for this environment ({why}). "
            + "Paddock never adopts, changes or deletes such a namespace: remove or rename it, or give the environment another name.";
    }

    private async Task<V1Namespace?> ReadNamespaceAsync(string name, CancellationToken ct)
    {
        try
        {
            return await _calls.RunAsync($"read namespace {name}", t => _client.CoreV1.ReadNamespaceAsync(name, cancellationToken: t), ct);
        }
        catch (HttpOperationException e) when (KubeCalls.IsNotFound(e))
        {
            return null;
        }
    }

    private async Task WaitUntilGoneAsync(string name, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.TeardownTimeout);
        try
        {
            while (await ReadNamespaceAsync(name, timeout.Token) is not null)
                await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ClusterFailure(ApplyFailureKind.EngineRejected,
                $"Namespace {name} was still terminating after {_options.TeardownTimeout.TotalSeconds:0}s (a finalizer may be stuck).");
        }
    }

    /// <summary>Nothing to do: the Deployment's rolling update already replaced the older deployments' pods, and their
    /// ReplicaSets (scaled to zero) are the rollout history Kubernetes keeps by its own revisionHistoryLimit.</summary>
    public Task RemoveOthersAsync(Guid environmentId, Guid keepDeploymentId, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Nothing to do, for the same reason: the rolling update terminates the older pods itself, each with
    /// its <c>terminationGracePeriodSeconds</c>.</summary>
    public Task RetireAsync(Guid environmentId, Guid deploymentId, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Deletes these pods (by uid or name) of the environment's namespace; only pods labelled with this
    /// environment's id are touched, and one already gone is no error.</summary>
    public async Task RemoveInstancesAsync(Guid environmentId, IReadOnlyCollection<string> instanceIds, CancellationToken ct)
    {
        try
        {
            if (await FindNamespaceAsync(environmentId, ct) is not { } ns) return;
            var doomed = (await PodsAsync(ns, environmentId, ct))
                .Where(pod => instanceIds.Contains(pod.Metadata.Uid) || instanceIds.Contains(pod.Metadata.Name))
                .Select(pod => pod.Metadata.Name);
            foreach (var pod in doomed)
            {
                try
                {
                    await _calls.RunAsync($"delete pod {ns}/{pod}", t => _client.CoreV1.DeleteNamespacedPodAsync(pod, ns, cancellationToken: t), ct);
                }
                catch (HttpOperationException e) when (KubeCalls.IsNotFound(e)) { }
            }
        }
        catch (ClusterFailure failure)
        {
            throw new InvalidOperationException(failure.Message, failure);
        }
    }

    public async Task TearDownAsync(Guid environmentId, ResourceName resourceName, CancellationToken ct)
    {
        var name = resourceName.Value;
        try
        {
            var existing = await ReadNamespaceAsync(name, ct);
            if (existing is null) return;
            if (Refusal(existing, environmentId) is { } refusal) throw new InvalidOperationException(refusal);
            try
            {
                await _calls.RunAsync($"delete namespace {name}", t => _client.CoreV1.DeleteNamespaceAsync(name, cancellationToken: t), ct);
            }
            catch (HttpOperationException e) when (KubeCalls.IsNotFound(e)) { }
            await WaitUntilGoneAsync(name, ct);
        }
        catch (ClusterFailure failure)
        {
            throw new InvalidOperationException(failure.Message, failure);
        }
    }

    public void Dispose() => _client.Dispose();
}
