using Paddock.Domain.Backends;

using Paddock.Domain.Teams;

namespace Paddock.Backends.Kubernetes;

/// <summary>How to reach one Kubernetes cluster and what Paddock creates in it.</summary>
public sealed class KubernetesBackendOptions
{
    /// <summary>The name environments use to pick this backend (unique across all backends).</summary>
    public string Name { get; set; } = "kubernetes";

    /// <summary>A kubeconfig document (its current context is used). Null with <see cref="InCluster"/> set.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>Use the pod's service account (Paddock running inside the target cluster).</summary>
    public bool InCluster { get; set; }

    /// <summary><c>{env}-{app}.apps.example.com</c>: when set, each environment gets an Ingress for this host.</summary>
    public string? IngressHostPattern { get; set; }

    public string? IngressClass { get; set; }

    /// <summary><c>apps.example.com</c>: the domain <c>dns</c> resources of environments on this cluster get host names
    /// under (<c>{name}-{app}-{env}.apps.example.com</c>); its DNS must point at the cluster's ingress controller. Null:
    /// environments here cannot have <c>dns</c> resources.</summary>
    public string? IngressDomain { get; set; }

    /// <summary>The StorageClass of the PersistentVolumeClaims made for <c>volume</c> resources; null: the cluster's default.</summary>
    public string? StorageClass { get; set; }

    /// <summary>The size each <c>volume</c> resource's PersistentVolumeClaim requests.</summary>
    public string VolumeSize { get; set; } = "1Gi";

    /// <summary>The name of an existing image pull secret each environment's namespace should use. Paddock copies nothing:
    /// the cluster's admission (or the operator) provides it; per-app registry credentials become a Secret of their own.</summary>
    public string? ImagePullSecret { get; set; }

    /// <summary>The ResourceQuota of an environment whose team has none (<c>DefaultQuota:CpuMillicores</c>,
    /// <c>:MemoryMiB</c>, <c>:Pods</c>); null: such environments get no quota.</summary>
    public QuotaDefaults? DefaultQuota { get; set; }

    /// <summary>The namespace of the cluster's ingress controller: the environments' NetworkPolicy lets its pods in
    /// (matched by the namespace's <c>kubernetes.io/metadata.name</c> label). Empty: only the environment's own
    /// namespace may reach its pods.</summary>
    public string? IngressControllerNamespace { get; set; } = "ingress-nginx";

    /// <summary>The cluster's own registry credentials (registered with the cluster): every environment namespace gets
    /// them as the dockerconfigjson Secret <c>cluster-registry-credentials</c>, named in the pods' imagePullSecrets.</summary>
    public RegistryCredentials? PullCredentials { get; set; }

    /// <summary>How many times a call is tried when the API server does not answer at all.</summary>
    public int ConnectAttempts { get; set; } = 4;

    /// <summary>The first pause between such tries; it doubles each time.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many of a failing pod's last log lines a failure carries.</summary>
    public int FailureLogLines { get; set; } = 20;

    /// <summary>How long one watch request of the drift watch lasts before it is made again from where it left off
    /// (the API server is asked to end it then; the client gives up on it shortly after if the server did not).
    /// A watch that hangs — seen with a watch answered "410 Expired" right after its connection broke — thereby
    /// recovers instead of leaving drift unseen.</summary>
    public TimeSpan WatchTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a rollout is looked at again when no watch event woke it.</summary>
    public TimeSpan RolloutPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long tear-down waits for the namespace to disappear.</summary>
    public TimeSpan TeardownTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long <c>DescribeAsync</c> waits for the API server.</summary>
    public TimeSpan DescribeTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>A cluster's default environment quota, as configuration binds it; null fields are unlimited.</summary>
public sealed class QuotaDefaults
{
    public int? CpuMillicores { get; set; }
    public int? MemoryMiB { get; set; }
    public int? Pods { get; set; }

    public EnvironmentQuota ToQuota() => new(CpuMillicores, MemoryMiB, Pods);
}
