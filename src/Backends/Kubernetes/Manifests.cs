using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using k8s.Models;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Domain.Teams;

namespace Paddock.Backends.Kubernetes;

/// <summary>The objects an environment consists of, as applied configurations: only the fields Paddock sets,
/// so that server-side apply leaves every other field (and other managers' fields) alone.</summary>
internal static class Manifests
{
    public const string VariablesName = "variables";
    public const string SecretsName = "secrets";
    public const string RegistryName = "registry-credentials";
    public const string ClusterRegistryName = "cluster-registry-credentials";
    public const string ContainerName = "app";
    /// <summary>The name of the environment's Service's one port (what route Ingresses point at).</summary>
    public const string ServicePortName = "http";
    public const string QuotaName = "environment-quota";
    public const string NetworkPolicyName = "default-deny-ingress";
    /// <summary>The ConfigMap holding the workload's files, and the Secret holding those that took a secret's value;
    /// each file is one key, mounted at its target with subPath.</summary>
    public const string FilesName = "files";
    public const string SecretFilesName = "secret-files";
    /// <summary>The label Kubernetes itself puts on every namespace (since 1.21), naming it.</summary>
    public const string NamespaceNameLabel = "kubernetes.io/metadata.name";

    public static string WorkloadName(WorkloadSpec spec) => spec.AppName.Value;

    public static string ServiceHost(WorkloadSpec spec) => $"{WorkloadName(spec)}.{spec.ResourceName.Value}.svc.cluster.local";

    public static string? IngressHost(WorkloadSpec spec, KubernetesBackendOptions options) =>
        string.IsNullOrWhiteSpace(options.IngressHostPattern) ? null
            : options.IngressHostPattern.Replace("{env}", spec.EnvironmentName.Value, StringComparison.Ordinal)
                .Replace("{app}", spec.AppName.Value, StringComparison.Ordinal);

    /// <summary>The environment's namespace, labelled with the namespaces its pods may reach (<see cref="WorkloadSpec.Networks"/>:
    /// its <c>service-port</c> targets).</summary>
    public static V1Namespace Namespace(WorkloadSpec spec)
    {
        var labels = KubeLabels.ForEnvironment(spec);
        foreach (var target in spec.Networks) labels[KubeLabels.Reaches(target)] = "true";
        return new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta { Name = spec.ResourceName.Value, Labels = labels },
        };
    }

    /// <summary>The namespace a volume claim is made in before the environment's first deployment: only the labels that
    /// prove ownership (the deployment's apply adds the others).</summary>
    public static V1Namespace VolumeNamespace(VolumeClaim claim) => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta
        {
            Name = claim.EnvironmentName.Value,
            Labels = new Dictionary<string, string> { [KubeLabels.ManagedBy] = KubeLabels.ManagedByValue, [KubeLabels.EnvironmentId] = claim.EnvironmentId.ToString() },
        },
    };

    /// <summary>The claim of one <c>volume</c> resource: read-write by one node at a time, the configured size and class.</summary>
    public static V1PersistentVolumeClaim Claim(VolumeClaim claim, string name, KubernetesBackendOptions options) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = claim.EnvironmentName.Value,
            Labels = new Dictionary<string, string>
            {
                [KubeLabels.ManagedBy] = KubeLabels.ManagedByValue,
                [KubeLabels.EnvironmentId] = claim.EnvironmentId.ToString(),
                [KubernetesBackend.ResourceUidLabel] = claim.Uid,
            },
        },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = options.StorageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new ResourceQuantity(options.VolumeSize) } },
        },
    };

    /// <summary>The pod's volumes: one per mounted claim, named after it, and the files' ConfigMap and Secret.</summary>
    private static List<V1Volume>? PodVolumes(WorkloadSpec spec)
    {
        var volumes = spec.Volumes.Concat(spec.Sidecars.SelectMany(s => s.Volumes)).Select(v => v.Volume).Distinct(StringComparer.Ordinal)
            .Select(claim => new V1Volume { Name = claim, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } })
            .ToList();
        var files = FilesOf(spec);
        if (files.Any(f => !f.File.Secret))
            volumes.Add(new V1Volume
            {
                Name = FilesName,
                ConfigMap = new V1ConfigMapVolumeSource { Name = FilesName, Items = files.Where(f => !f.File.Secret).Select(KeyToPath).ToList() },
            });
        if (files.Any(f => f.File.Secret))
            volumes.Add(new V1Volume
            {
                Name = SecretFilesName,
                Secret = new V1SecretVolumeSource { SecretName = SecretFilesName, Items = files.Where(f => f.File.Secret).Select(KeyToPath).ToList() },
            });
        return volumes.Count == 0 ? null : volumes;
    }

    private static V1KeyToPath KeyToPath((string Container, string Key, ContainerFileSpec File) file) => new() { Key = file.Key, Path = file.Key, Mode = file.File.Mode };

    /// <summary>Every file of the workload with its key in the ConfigMap or Secret: the container's name in the pod and
    /// the file's place among that container's files.</summary>
    public static List<(string Container, string Key, ContainerFileSpec File)> FilesOf(WorkloadSpec spec) =>
    [
        .. spec.Files.Select((file, i) => (ContainerName, $"{ContainerName}-{i}", file)),
        .. spec.Sidecars.SelectMany(sidecar => sidecar.Files.Select((file, i) =>
            (SidecarContainerName(sidecar), $"{SidecarContainerName(sidecar)}-{i}", file))),
    ];

    /// <summary>The ConfigMap of the workload's files that hold no secret, or null when there are none.</summary>
    public static V1ConfigMap? Files(WorkloadSpec spec) => FilesOf(spec).Where(f => !f.File.Secret).ToList() is { Count: > 0 } files
        ? new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = Meta(spec, FilesName),
            BinaryData = files.ToDictionary(f => f.Key, f => f.File.Content),
        }
        : null;

    /// <summary>The Secret of the workload's files that took a secret's value, or null when there are none.</summary>
    public static V1Secret? SecretFiles(WorkloadSpec spec) => FilesOf(spec).Where(f => f.File.Secret).ToList() is { Count: > 0 } files
        ? new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "Opaque",
            Metadata = Meta(spec, SecretFilesName),
            Data = files.ToDictionary(f => f.Key, f => f.File.Content),
        }
        : null;

    /// <summary>A container's mounts: its volumes, and each of its files by subPath from the ConfigMap or Secret.</summary>
    private static List<V1VolumeMount>? Mounts(IEnumerable<VolumeMount> volumes, string containerName, WorkloadSpec spec)
    {
        var mounts = volumes.Select(v => new V1VolumeMount { Name = v.Volume, MountPath = v.Target, SubPath = v.SubPath, ReadOnlyProperty = v.ReadOnly ? true : null }).ToList();
        mounts.AddRange(FilesOf(spec).Where(f => f.Container == containerName)
            .Select(f => new V1VolumeMount { Name = f.File.Secret ? SecretFilesName : FilesName, MountPath = f.File.Target, SubPath = f.Key, ReadOnlyProperty = true }));
        return mounts.Count == 0 ? null : mounts;
    }

    public static V1ConfigMap Variables(WorkloadSpec spec) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = Meta(spec, VariablesName),
        Data = new Dictionary<string, string>(spec.Variables),
    };

    public static V1Secret Secrets(WorkloadSpec spec) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Type = "Opaque",
        Metadata = Meta(spec, SecretsName),
        Data = spec.Secrets.ToDictionary(s => s.Key, s => Encoding.UTF8.GetBytes(s.Value)),
    };

    /// <summary>A dockerconfigjson Secret for the app's private registry, or null when it has none.</summary>
    public static V1Secret? Registry(WorkloadSpec spec) =>
        spec.RegistryCredentials is { } credentials ? PullSecret(spec, RegistryName, credentials) : null;

    /// <summary>A dockerconfigjson Secret for the cluster's own image pull credentials (registered with the
    /// cluster), or null when it has none.</summary>
    public static V1Secret? ClusterRegistry(WorkloadSpec spec, KubernetesBackendOptions options) =>
        options.PullCredentials is { } credentials ? PullSecret(spec, ClusterRegistryName, credentials) : null;

    private static V1Secret PullSecret(WorkloadSpec spec, string name, RegistryCredentials credentials)
    {
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}"));
        var config = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["auths"] = new Dictionary<string, object> { [credentials.Server] = new Dictionary<string, string> { ["auth"] = auth } },
        });
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Type = "kubernetes.io/dockerconfigjson",
            Metadata = Meta(spec, name),
            Data = new Dictionary<string, byte[]> { [".dockerconfigjson"] = Encoding.UTF8.GetBytes(config) },
        };
    }

    public static V1Deployment Deployment(WorkloadSpec spec, KubernetesBackendOptions options)
    {
        var pullSecrets = new List<V1LocalObjectReference>();
        if (options.ImagePullSecret is { Length: > 0 } shared) pullSecrets.Add(new V1LocalObjectReference { Name = shared });
        if (options.PullCredentials is not null) pullSecrets.Add(new V1LocalObjectReference { Name = ClusterRegistryName });
        if (spec.RegistryCredentials is not null) pullSecrets.Add(new V1LocalObjectReference { Name = RegistryName });
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Meta(spec, WorkloadName(spec)),
            Spec = new V1DeploymentSpec
            {
                Replicas = spec.Replicas,
                // The health check's timeout is how long a new instance may take to become ready; the same budget
                // bounds the whole rollout, after which Kubernetes reports ProgressDeadlineExceeded.
                ProgressDeadlineSeconds = Math.Max(1, spec.HealthCheck.TimeoutSeconds),
                Selector = new V1LabelSelector
                {
                    MatchLabels = new Dictionary<string, string> { [KubeLabels.EnvironmentId] = spec.EnvironmentId.ToString() },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = KubeLabels.ForPods(spec),
                        // Variables and secrets reach the pods through envFrom, which does not restart them when the
                        // ConfigMap changes; the hash in the template does.
                        Annotations = new Dictionary<string, string> { ["paddock.dev/config-hash"] = ConfigHash(spec) },
                    },
                    Spec = new V1PodSpec
                    {
                        // One pod template holds every container of the workload: they share the pod's network
                        // (localhost between them), and the Service routes to the main one's port.
                        Containers = [Container(spec), .. spec.Sidecars.Select(sidecar => Sidecar(sidecar, spec))],
                        Volumes = PodVolumes(spec),
                        TerminationGracePeriodSeconds = (long)(spec.StopGracePeriod ?? WorkloadSpec.DefaultStopGracePeriod).TotalSeconds,
                        ImagePullSecrets = pullSecrets.Count > 0 ? pullSecrets : null,
                    },
                },
            },
        };
    }

    private static V1Container Container(WorkloadSpec spec) => new()
    {
        Name = ContainerName,
        Image = spec.Image,
        Command = spec.Command?.ToList(),
        Ports = [new V1ContainerPort { Name = "http", ContainerPort = spec.Port, Protocol = "TCP" }],
        EnvFrom =
        [
            new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = VariablesName } },
            // After the ConfigMap, so a secret wins over a variable of the same name.
            new V1EnvFromSource { SecretRef = new V1SecretEnvSource { Name = SecretsName } },
        ],
        // An exec readiness probe of the workload is the container's readiness (a pod has one per container); without
        // one, the health check on the service port.
        ReadinessProbe = spec.Readiness is { } readiness ? Probe(readiness, initialDelaySeconds: 0) : Probe(spec, initialDelaySeconds: 0, failureThreshold: 3),
        // Liveness starts after the readiness budget, so a slow starter is not killed before it could be ready. Without a
        // liveness probe of the workload, the health check serves as one.
        LivenessProbe = spec.Liveness is { } liveness
            ? Probe(liveness, initialDelaySeconds: spec.HealthCheck.TimeoutSeconds)
            : Probe(spec, initialDelaySeconds: spec.HealthCheck.TimeoutSeconds, failureThreshold: 3),
        Resources = Resources(spec.Limits),
        VolumeMounts = Mounts(spec.Volumes, ContainerName, spec),
    };

    /// <summary>A container beside the main one. Its variables are its own (the ConfigMap holds the main container's);
    /// its secrets come from the environment's Secret by key, which holds every secret the deployment pinned.</summary>
    private static V1Container Sidecar(SidecarSpec sidecar, WorkloadSpec spec) => new()
    {
        Name = SidecarContainerName(sidecar),
        Image = sidecar.Image,
        Command = sidecar.Command?.ToList(),
        Args = sidecar.Args?.ToList(),
        Env =
        [
            .. sidecar.Variables.Where(v => !sidecar.Secrets.ContainsKey(v.Key)).OrderBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => new V1EnvVar { Name = v.Key, Value = v.Value }),
            .. sidecar.Secrets.Keys.Order(StringComparer.Ordinal).Select(name => new V1EnvVar
            {
                Name = name,
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = SecretsName, Key = name } },
            }),
        ],
        Resources = Resources(sidecar.Limits),
        VolumeMounts = Mounts(sidecar.Volumes, SidecarContainerName(sidecar), spec),
        ReadinessProbe = sidecar.Readiness is { } readiness ? Probe(readiness, initialDelaySeconds: 0) : null,
        LivenessProbe = sidecar.Liveness is { } liveness ? Probe(liveness, initialDelaySeconds: spec.HealthCheck.TimeoutSeconds) : null,
    };

    /// <summary>The main container is <see cref="ContainerName"/> in every pod Paddock made; a sidecar of that name is
    /// renamed so the two stay apart.</summary>
    public static string SidecarContainerName(SidecarSpec sidecar) =>
        sidecar.Name == ContainerName ? $"{ContainerName}-sidecar" : sidecar.Name;

    private static V1Probe Probe(WorkloadSpec spec, int initialDelaySeconds, int failureThreshold)
    {
        var check = spec.HealthCheck;
        var probe = new V1Probe
        {
            PeriodSeconds = check.IntervalSeconds,
            TimeoutSeconds = Math.Min(check.IntervalSeconds, 5),
            InitialDelaySeconds = initialDelaySeconds,
            FailureThreshold = failureThreshold,
        };
        if (check.Kind == HealthCheckKind.Http)
            probe.HttpGet = new V1HTTPGetAction { Path = check.Path ?? "/", Port = spec.Port };
        else
            probe.TcpSocket = new V1TCPSocketAction { Port = spec.Port };
        return probe;
    }

    /// <summary>A probe of the workload as the kubelet runs it, with the period, timeout and threshold Paddock's Docker
    /// backend uses too (<see cref="ProbeDefaults"/>: Score names none).</summary>
    private static V1Probe Probe(ProbeAction action, int initialDelaySeconds) => new()
    {
        PeriodSeconds = ProbeDefaults.PeriodSeconds,
        TimeoutSeconds = ProbeDefaults.TimeoutSeconds,
        FailureThreshold = ProbeDefaults.FailureThreshold,
        InitialDelaySeconds = initialDelaySeconds,
        HttpGet = action.HttpGet is { } http ? new V1HTTPGetAction { Path = http.Path, Port = http.Port } : null,
        Exec = action.Exec is { } command ? new V1ExecAction { Command = command.ToList() } : null,
    };

    private static V1ResourceRequirements? Resources(ResourceLimits limits)
    {
        if (limits.CpuMillicores is null && limits.MemoryMiB is null) return null;
        var quantities = new Dictionary<string, ResourceQuantity>();
        if (limits.CpuMillicores is { } cpu) quantities["cpu"] = new ResourceQuantity($"{cpu.ToString(CultureInfo.InvariantCulture)}m");
        if (limits.MemoryMiB is { } memory) quantities["memory"] = new ResourceQuantity($"{memory.ToString(CultureInfo.InvariantCulture)}Mi");
        // Requests equal to limits: the scheduler reserves what the app may use (Guaranteed QoS when both are set).
        return new V1ResourceRequirements { Limits = quantities, Requests = new Dictionary<string, ResourceQuantity>(quantities) };
    }

    public static V1Service Service(WorkloadSpec spec) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = Meta(spec, WorkloadName(spec)),
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { [KubeLabels.EnvironmentId] = spec.EnvironmentId.ToString() },
            Ports = [new V1ServicePort { Name = ServicePortName, Port = spec.Port, TargetPort = spec.Port, Protocol = "TCP" }],
        },
    };

    public static V1Ingress? Ingress(WorkloadSpec spec, KubernetesBackendOptions options)
    {
        if (IngressHost(spec, options) is not { } host) return null;
        return new V1Ingress
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "Ingress",
            Metadata = Meta(spec, WorkloadName(spec)),
            Spec = new V1IngressSpec
            {
                IngressClassName = options.IngressClass,
                Rules =
                [
                    new V1IngressRule
                    {
                        Host = host,
                        Http = new V1HTTPIngressRuleValue
                        {
                            Paths =
                            [
                                new V1HTTPIngressPath
                                {
                                    Path = "/",
                                    PathType = "Prefix",
                                    Backend = new V1IngressBackend
                                    {
                                        Service = new V1IngressServiceBackend
                                        {
                                            Name = WorkloadName(spec),
                                            Port = new V1ServiceBackendPort { Number = spec.Port },
                                        },
                                    },
                                },
                            ],
                        },
                    },
                ],
            },
        };
    }

    /// <summary>The Ingress of one <c>route</c> resource: its host and path prefix to the environment's Service, by the
    /// Service's one port name (the number is the workload's, known only once it deploys).</summary>
    public static V1Ingress RouteIngress(IngressRoute route, string name, KubernetesBackendOptions options) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "Ingress",
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = route.EnvironmentName.Value,
            Labels = new Dictionary<string, string>
            {
                [KubeLabels.ManagedBy] = KubeLabels.ManagedByValue,
                [KubeLabels.EnvironmentId] = route.EnvironmentId.ToString(),
                [KubernetesBackend.ResourceUidLabel] = route.Uid,
            },
        },
        Spec = new V1IngressSpec
        {
            IngressClassName = options.IngressClass,
            Rules =
            [
                new V1IngressRule
                {
                    Host = route.Host,
                    Http = new V1HTTPIngressRuleValue
                    {
                        Paths =
                        [
                            new V1HTTPIngressPath
                            {
                                Path = route.Path,
                                PathType = "Prefix",
                                Backend = new V1IngressBackend
                                {
                                    Service = new V1IngressServiceBackend
                                    {
                                        Name = route.App.Value,
                                        Port = new V1ServiceBackendPort { Name = ServicePortName },
                                    },
                                },
                            },
                        ],
                    },
                },
            ],
        },
    };

    /// <summary>The environment's ResourceQuota: the team's limits on what all its pods together may use (limits,
    /// as Paddock sets requests equal to limits) and how many pods may exist.</summary>
    public static V1ResourceQuota Quota(WorkloadSpec spec, EnvironmentQuota quota)
    {
        var hard = new Dictionary<string, ResourceQuantity>();
        if (quota.CpuMillicores is { } cpu) hard["limits.cpu"] = new ResourceQuantity($"{cpu.ToString(CultureInfo.InvariantCulture)}m");
        if (quota.MemoryMiB is { } memory) hard["limits.memory"] = new ResourceQuantity($"{memory.ToString(CultureInfo.InvariantCulture)}Mi");
        if (quota.Pods is { } pods) hard["pods"] = new ResourceQuantity(pods.ToString(CultureInfo.InvariantCulture));
        return new V1ResourceQuota
        {
            ApiVersion = "v1",
            Kind = "ResourceQuota",
            Metadata = Meta(spec, QuotaName),
            Spec = new V1ResourceQuotaSpec { Hard = hard },
        };
    }

    /// <summary>Default-deny for incoming traffic: every pod of the namespace accepts connections only from pods of
    /// the same namespace, from environments whose <c>service-port</c> resources name this one (their namespaces carry
    /// <see cref="KubeLabels.Reaches"/> of it), and from the ingress controller's namespace (when configured). Outgoing
    /// traffic is not restricted (no Egress policy type).</summary>
    public static V1NetworkPolicy NetworkPolicy(WorkloadSpec spec, KubernetesBackendOptions options)
    {
        var allowed = new List<V1NetworkPolicyPeer>
        {
            new() { PodSelector = new V1LabelSelector() },
            new()
            {
                NamespaceSelector = new V1LabelSelector
                {
                    MatchExpressions = [new V1LabelSelectorRequirement { Key = KubeLabels.Reaches(spec.ResourceName.Value), OperatorProperty = "Exists" }],
                },
            },
        };
        if (options.IngressControllerNamespace is { Length: > 0 } ingressNamespace)
            allowed.Add(new V1NetworkPolicyPeer
            {
                NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { [NamespaceNameLabel] = ingressNamespace } },
            });
        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = Meta(spec, NetworkPolicyName),
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector(),
                PolicyTypes = ["Ingress"],
                Ingress = [new V1NetworkPolicyIngressRule { FromProperty = allowed }],
            },
        };
    }

    private static V1ObjectMeta Meta(WorkloadSpec spec, string name) => new()
    {
        Name = name,
        NamespaceProperty = spec.ResourceName.Value,
        Labels = KubeLabels.ForEnvironment(spec),
    };

    /// <summary>A hash of variables and secrets (never the values themselves) that changes when any of them does.</summary>
    private static string ConfigHash(WorkloadSpec spec)
    {
        var text = new StringBuilder();
        foreach (var (name, value) in spec.Variables.OrderBy(v => v.Key, StringComparer.Ordinal)) text.Append("v:").Append(name).Append('=').Append(value).Append('\n');
        foreach (var (name, value) in spec.Secrets.OrderBy(v => v.Key, StringComparer.Ordinal)) text.Append("s:").Append(name).Append('=').Append(value).Append('\n');
        // A file mounted with subPath keeps the content its pod started with: a changed file needs new pods.
        foreach (var (_, key, file) in FilesOf(spec))
            text.Append("f:").Append(key).Append('=').Append(file.Target).Append(':').Append(file.Mode).Append(':').Append(Convert.ToHexStringLower(SHA256.HashData(file.Content))).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
