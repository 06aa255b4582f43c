using Paddock.Domain.Clusters;
using Paddock.Portal.Features.Backends;
using Paddock.Portal.Features.Teams;

namespace Paddock.Portal.Features.Clusters;

/// <summary>Who pulls images on the cluster: never the password, only whether one is stored.</summary>
public sealed record PullCredentialsView(string Server, string Username, bool HasPassword);

/// <summary>A registered cluster as the API and UI show it: never the kubeconfig or a password. <see cref="Server"/>
/// and <see cref="Context"/> are read from the kubeconfig when it was stored. Reachability and version come from
/// asking the cluster (within the backend's short time limit); they are null in audit events.</summary>
public sealed record ClusterView(
    string Name,
    string Kind,
    bool InCluster,
    bool HasKubeconfig,
    string? Server,
    string? Context,
    string? IngressHostPattern,
    string? IngressClass,
    string? StorageClass,
    PullCredentialsView? PullCredentials,
    string? IngressControllerNamespace,
    QuotaView? DefaultQuota,
    string CreatedBy,
    DateTime CreatedAt,
    string UpdatedBy,
    DateTime UpdatedAt,
    bool? Reachable = null,
    string? Version = null,
    string? Reason = null)
{
    /// <summary>The settings alone: what audit events record before and after a change.</summary>
    public static ClusterView Of(Cluster cluster) => new(
        cluster.Name.Value, "kubernetes", cluster.InCluster, cluster.HasKubeconfig, cluster.ServerUrl, cluster.ContextName,
        cluster.IngressHostPattern, cluster.IngressClass, cluster.StorageClass,
        cluster.HasPullCredentials ? new PullCredentialsView(cluster.PullServer!, cluster.PullUsername!, cluster.ProtectedPullPassword is not null) : null,
        cluster.IngressControllerNamespace, QuotaView.Of(cluster.DefaultQuota),
        cluster.CreatedBy, cluster.CreatedAt, cluster.UpdatedBy, cluster.UpdatedAt);

    public ClusterView WithStatus(BackendView status) => this with { Reachable = status.Reachable, Version = status.Version, Reason = status.Reason };
}
