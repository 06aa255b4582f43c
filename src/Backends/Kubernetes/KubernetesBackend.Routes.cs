using k8s;
using k8s.Autorest;
using k8s.Models;
using Paddock.Domain.Backends;
using Paddock.Domain.Names;
using Paddock.Domain.Resources;

namespace Paddock.Backends.Kubernetes;

/// <summary>The route seam on a cluster: one Ingress per <c>route</c> resource (<c>route-{uid}</c>) in the environment's
/// namespace, with one rule (host, path, pathType Prefix) to the environment's Service (its one port, <c>http</c>);
/// made first if the environment has not deployed yet (the Service comes with its first deployment). An Ingress is
/// Paddock's only with this environment's id and the resource's uid in its labels. Other environments' pods reach the
/// Service by its cluster DNS name.</summary>
public sealed partial class KubernetesBackend : IIngressBackend, IWorkloadAddressBackend
{
    public static string RouteIngressName(string uid) => $"route-{uid}";

    public string? DnsSuffix => string.IsNullOrWhiteSpace(_options.IngressDomain) ? null : "." + _options.IngressDomain.Trim().TrimStart('.');

    public string HostOf(ResourceName environment, AppName app) => $"{app.Value}.{environment.Value}.svc.cluster.local";

    /// <summary>The target's namespace: the consumer's namespace is labelled with it, and the target's NetworkPolicy
    /// lets namespaces so labelled in (<see cref="Manifests.NetworkPolicy"/>).</summary>
    public string? NetworkOf(ResourceName environment) => environment.Value;

    public async Task<string?> EnsureRouteAsync(IngressRoute route, CancellationToken ct)
    {
        var ns = route.EnvironmentName.Value;
        var name = RouteIngressName(route.Uid);
        try
        {
            var existingNamespace = await ReadNamespaceAsync(ns, ct);
            if (existingNamespace is not null && Refusal(existingNamespace, route.EnvironmentId) is { } refusal) return refusal;
            if (existingNamespace?.Metadata.DeletionTimestamp is not null) return $"namespace {ns} is still being deleted";
            if (existingNamespace is null)
                await ApplyObjectAsync("Namespace", Manifests.VolumeNamespace(new VolumeClaim(route.EnvironmentId, route.EnvironmentName, route.Uid)), (patch, t) =>
                    _client.CoreV1.PatchNamespaceAsync(patch, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            if (await ReadIngressAsync(ns, name, ct) is { } existing && !IsOurs(existing.Metadata, route))
                return $"Ingress {ns}/{name} exists and is not the one Paddock made; left in place";
            await ApplyObjectAsync("Ingress", Manifests.RouteIngress(route, name, _options), (patch, t) =>
                _client.NetworkingV1.PatchNamespacedIngressAsync(patch, name, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            return null;
        }
        catch (ClusterFailure failure)
        {
            return failure.Message;
        }
    }

    public async Task<ResourceObservation> ObserveRouteAsync(IngressRoute route, CancellationToken ct)
    {
        var ns = route.EnvironmentName.Value;
        var name = RouteIngressName(route.Uid);
        try
        {
            return await ReadIngressAsync(ns, name, ct) is { } found && IsOurs(found.Metadata, route)
                ? new ResourceObservation(ResourcePresence.Present)
                : new ResourceObservation(ResourcePresence.Missing, $"the cluster has no Ingress {ns}/{name}");
        }
        catch (ClusterFailure failure)
        {
            return new ResourceObservation(ResourcePresence.Unknown, failure.Message);
        }
    }

    public async Task<string?> RemoveRouteAsync(IngressRoute route, CancellationToken ct)
    {
        var ns = route.EnvironmentName.Value;
        var name = RouteIngressName(route.Uid);
        try
        {
            if (await ReadIngressAsync(ns, name, ct) is not { } existing) return null;
            if (!IsOurs(existing.Metadata, route)) return $"Ingress {ns}/{name} is not the one Paddock made; left in place";
            try
            {
                await _calls.RunAsync($"delete Ingress {ns}/{name}", t =>
                    _client.NetworkingV1.DeleteNamespacedIngressAsync(name, ns, cancellationToken: t), ct);
            }
            catch (HttpOperationException e) when (KubeCalls.IsNotFound(e)) { }
            return null;
        }
        catch (ClusterFailure failure)
        {
            return failure.Message;
        }
    }

    private async Task<V1Ingress?> ReadIngressAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            return await _calls.RunAsync($"read Ingress {ns}/{name}", t =>
                _client.NetworkingV1.ReadNamespacedIngressAsync(name, ns, cancellationToken: t), ct);
        }
        catch (HttpOperationException e) when (KubeCalls.IsNotFound(e))
        {
            return null;
        }
    }

    private static bool IsOurs(V1ObjectMeta found, IngressRoute route) =>
        found.Labels is { } labels
        && labels.TryGetValue(KubeLabels.EnvironmentId, out var environment) && environment == route.EnvironmentId.ToString()
        && labels.TryGetValue(ResourceUidLabel, out var uid) && uid == route.Uid;
}
