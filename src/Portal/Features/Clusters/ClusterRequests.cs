using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Teams;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Clusters;

/// <summary>Credentials for pulling images from a private registry on this cluster.</summary>
public sealed record PullCredentialsRequest(string? Server = null, string? Username = null, string? Password = null);

/// <summary>Registers a cluster: <see cref="Kubeconfig"/> (a self-contained document; its current context is used)
/// or <see cref="InCluster"/> (Paddock runs inside the cluster and uses its pod's service account).
/// <see cref="IngressControllerNamespace"/> absent or null: <c>ingress-nginx</c>; an empty string: none (only an
/// environment's own namespace reaches its pods). <see cref="DefaultQuota"/>: for environments whose team has no quota.</summary>
public sealed record RegisterClusterRequest(
    string? Name = null,
    string? Kubeconfig = null,
    bool? InCluster = null,
    string? IngressHostPattern = null,
    string? IngressClass = null,
    string? StorageClass = null,
    PullCredentialsRequest? PullCredentials = null,
    string? IngressControllerNamespace = null,
    QuotaRequest? DefaultQuota = null);

/// <summary>A JSON merge patch of a cluster: absent fields stay, null removes the optional ones. A new
/// <see cref="Kubeconfig"/> replaces the stored one (and ends in-cluster use); <see cref="PullCredentials"/> without
/// a password keeps the stored password. The name cannot change.</summary>
public sealed record ClusterPatch
{
    public Optional<string?> Name { get; init; }
    public Optional<string?> Kubeconfig { get; init; }
    public Optional<bool?> InCluster { get; init; }
    public Optional<string?> IngressHostPattern { get; init; }
    public Optional<string?> IngressClass { get; init; }
    public Optional<string?> StorageClass { get; init; }
    public Optional<PullCredentialsRequest?> PullCredentials { get; init; }
    /// <summary>Null or empty: no ingress controller namespace (only the environment's own namespace gets in).</summary>
    public Optional<string?> IngressControllerNamespace { get; init; }
    /// <summary>Null, or an object with no field set, removes the default quota.</summary>
    public Optional<QuotaRequest?> DefaultQuota { get; init; }

    public static ClusterPatch Read(MergePatch json) => new()
    {
        Name = json.Get<string>("name"),
        Kubeconfig = json.Get<string>("kubeconfig"),
        InCluster = json.Get<bool?>("inCluster"),
        IngressHostPattern = json.Get<string>("ingressHostPattern"),
        IngressClass = json.Get<string>("ingressClass"),
        StorageClass = json.Get<string>("storageClass"),
        PullCredentials = json.GetObject<PullCredentialsRequest>("pullCredentials", p => new PullCredentialsRequest(
            p.Get<string>("server").Value, p.Get<string>("username").Value, p.Get<string>("password").Value)),
        IngressControllerNamespace = json.Get<string>("ingressControllerNamespace"),
        DefaultQuota = json.GetObject<QuotaRequest>("defaultQuota", q => new QuotaRequest(
            q.Get<int?>("cpuMillicores").Value, q.Get<int?>("memoryMiB").Value, q.Get<int?>("pods").Value)),
    };
}
