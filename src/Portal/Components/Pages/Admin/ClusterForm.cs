using Paddock.Portal.Features.Applications;
using Paddock.Domain.Clusters;
using Paddock.Portal.Features.Clusters;
using Paddock.Portal.Features.Teams;
using Paddock.Portal.Api;

namespace Paddock.Portal.Components.Pages.Admin;

/// <summary>The register/edit dialog's fields. Editing starts without the kubeconfig and the registry password
/// (they are never read back): left empty, the stored ones are kept.</summary>
public sealed class ClusterForm
{
    public string? Name { get; set; }
    public string? Kubeconfig { get; set; }
    public bool InCluster { get; set; }
    public string? IngressHostPattern { get; set; }
    public string? IngressClass { get; set; }
    public string? StorageClass { get; set; }
    public string? PullServer { get; set; }
    public string? PullUsername { get; set; }
    public string? PullPassword { get; set; }
    /// <summary>Empty: no ingress controller namespace is let in.</summary>
    public string? IngressControllerNamespace { get; set; } = Cluster.DefaultIngressControllerNamespace;
    public int? QuotaCpuMillicores { get; set; }
    public int? QuotaMemoryMiB { get; set; }
    public int? QuotaPods { get; set; }

    public static ClusterForm From(ClusterView cluster) => new()
    {
        Name = cluster.Name,
        InCluster = cluster.InCluster,
        IngressHostPattern = cluster.IngressHostPattern,
        IngressClass = cluster.IngressClass,
        StorageClass = cluster.StorageClass,
        PullServer = cluster.PullCredentials?.Server,
        PullUsername = cluster.PullCredentials?.Username,
        IngressControllerNamespace = cluster.IngressControllerNamespace,
        QuotaCpuMillicores = cluster.DefaultQuota?.CpuMillicores,
        QuotaMemoryMiB = cluster.DefaultQuota?.MemoryMiB,
        QuotaPods = cluster.DefaultQuota?.Pods,
    };

    private bool WantsPullCredentials => !string.IsNullOrWhiteSpace(PullServer) || !string.IsNullOrWhiteSpace(PullUsername) || !string.IsNullOrEmpty(PullPassword);

    private PullCredentialsRequest? PullCredentials => WantsPullCredentials ? new PullCredentialsRequest(PullServer, PullUsername, PullPassword) : null;

    private QuotaRequest DefaultQuota => new(QuotaCpuMillicores, QuotaMemoryMiB, QuotaPods);

    public RegisterClusterRequest ToRequest() => new(Name?.Trim(), InCluster ? null : Kubeconfig, InCluster, IngressHostPattern, IngressClass, StorageClass,
        PullCredentials, IngressControllerNamespace ?? "", DefaultQuota);

    public ClusterPatch ToPatch() => new()
    {
        Kubeconfig = !InCluster && !string.IsNullOrWhiteSpace(Kubeconfig) ? Kubeconfig : Optional<string?>.Absent,
        InCluster = InCluster,
        IngressHostPattern = IngressHostPattern,
        IngressClass = IngressClass,
        StorageClass = StorageClass,
        PullCredentials = PullCredentials,
        IngressControllerNamespace = IngressControllerNamespace,
        DefaultQuota = DefaultQuota,
    };
}
