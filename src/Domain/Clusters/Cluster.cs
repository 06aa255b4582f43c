using Paddock.Domain.Teams;

namespace Paddock.Domain.Clusters;

/// <summary>A Kubernetes cluster a platform admin registered at run time; every portal and worker process turns it
/// into a <c>kubernetes</c> backend named <see cref="Name"/>. Credentials are held only encrypted (the caller
/// encrypts: the domain does no I/O and holds no keys); <see cref="ServerUrl"/> and <see cref="ContextName"/> are
/// read from the kubeconfig when it is set, so lists never need to decrypt it.</summary>
public sealed class Cluster
{
    public Guid Id { get; private set; }
    public ClusterName Name { get; private set; }

    /// <summary>The kubeconfig document, encrypted; null for an in-cluster registration.</summary>
    public string? ProtectedKubeconfig { get; private set; }
    public bool InCluster { get; private set; }
    public string? ServerUrl { get; private set; }
    public string? ContextName { get; private set; }

    public string? IngressHostPattern { get; set; }
    public string? IngressClass { get; set; }
    public string? StorageClass { get; set; }

    /// <summary>The namespace of the cluster's ingress controller, whose pods the environments' NetworkPolicy lets
    /// in; null lets in only the environment's own namespace.</summary>
    public string? IngressControllerNamespace { get; set; } = DefaultIngressControllerNamespace;

    /// <summary>The ResourceQuota of an environment whose team has none; null: such environments get none.</summary>
    public EnvironmentQuota? DefaultQuota { get; private set; }

    public string? PullServer { get; private set; }
    public string? PullUsername { get; private set; }
    /// <summary>The registry password, encrypted.</summary>
    public string? ProtectedPullPassword { get; private set; }

    public string CreatedBy { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public string UpdatedBy { get; private set; } = "";
    public DateTime UpdatedAt { get; private set; }
    public DateTime? DeletedAt { get; private set; }

    private Cluster() { }

    public Cluster(ClusterName name, string createdBy, DateTime createdAt)
    {
        Id = Guid.CreateVersion7();
        Name = name;
        CreatedBy = UpdatedBy = createdBy;
        CreatedAt = UpdatedAt = createdAt;
    }

    public const string DefaultIngressControllerNamespace = "ingress-nginx";

    public bool IsDeleted => DeletedAt is not null;
    public bool HasKubeconfig => ProtectedKubeconfig is not null;
    public bool HasPullCredentials => PullServer is not null;

    public void UseKubeconfig(string protectedKubeconfig, string serverUrl, string contextName)
    {
        ProtectedKubeconfig = protectedKubeconfig;
        ServerUrl = serverUrl;
        ContextName = contextName;
        InCluster = false;
    }

    /// <summary>Paddock runs inside the target cluster and uses its pod's service account; any kubeconfig is dropped.</summary>
    public void UseInCluster()
    {
        InCluster = true;
        ProtectedKubeconfig = ServerUrl = ContextName = null;
    }

    public void SetPullCredentials(string server, string username, string protectedPassword)
    {
        PullServer = server;
        PullUsername = username;
        ProtectedPullPassword = protectedPassword;
    }

    public void SetDefaultQuota(EnvironmentQuota? quota) => DefaultQuota = quota is null || quota.IsEmpty ? null : quota;

    public void ClearPullCredentials() => PullServer = PullUsername = ProtectedPullPassword = null;

    public void Touched(string by, DateTime at)
    {
        UpdatedBy = by;
        UpdatedAt = at;
    }

    /// <summary>Frees the name and forgets the credentials: a deleted cluster keeps its history, not its secrets.</summary>
    public void MarkDeleted(string by, DateTime at)
    {
        if (DeletedAt is not null) return;
        DeletedAt = at;
        ProtectedKubeconfig = ProtectedPullPassword = null;
        Touched(by, at);
    }
}
