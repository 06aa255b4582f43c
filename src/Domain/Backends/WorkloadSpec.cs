using Paddock.Domain.Applications;
using Paddock.Domain.Names;

namespace Paddock.Domain.Backends;

/// <summary>What one deployment of an environment should run, in terms every backend understands.
/// Init-only properties rather than a positional record, so that the description can grow
/// (Score's several containers per workload, volumes, resources) without breaking callers.</summary>
public sealed record WorkloadSpec
{
    public required Guid EnvironmentId { get; init; }
    /// <summary>The environment's name in the backend: network, namespace, container name prefix.</summary>
    public required ResourceName ResourceName { get; init; }
    public required AppName AppName { get; init; }
    public required EnvironmentName EnvironmentName { get; init; }
    public required Guid DeploymentId { get; init; }
    public required string Image { get; init; }
    /// <summary>The content to run (<c>sha256:…</c>, as <see cref="ApplyResult.ImageDigest"/> reported it) when a
    /// deployment already resolved it: a redeploy then runs exactly that content even if <see cref="Image"/>'s tag
    /// moved since. Null runs whatever <see cref="Image"/> names now.</summary>
    public string? ImageDigest { get; init; }
    /// <summary>Replaces the image's command; null keeps the image's own.</summary>
    public IReadOnlyList<string>? Command { get; init; }
    /// <summary>The port the container listens on.</summary>
    public required int Port { get; init; }
    public int Replicas { get; init; } = 1;
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
    /// <summary>Decrypted secret values, passed to the workload like variables (they win on a name clash).
    /// Backends must never log them, put them in events, labels or errors.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
    public HealthCheck HealthCheck { get; init; } = HealthCheck.Default;
    /// <summary>A readiness probe of the main container beside <see cref="HealthCheck"/> (an exec probe): an instance is
    /// ready when both pass. Null: the health check alone.</summary>
    public ProbeAction? Readiness { get; init; }
    /// <summary>The main container's liveness probe; null: none (on Kubernetes the health check serves as one).</summary>
    public ProbeAction? Liveness { get; init; }
    public ResourceLimits Limits { get; init; } = ResourceLimits.None;
    /// <summary>How long an instance gets between SIGTERM and SIGKILL when it is stopped; null: the backend's default
    /// (<see cref="DefaultStopGracePeriod"/> unless the backend is configured otherwise).</summary>
    public TimeSpan? StopGracePeriod { get; init; }

    /// <summary>Docker's own default for a stop.</summary>
    public static readonly TimeSpan DefaultStopGracePeriod = TimeSpan.FromSeconds(10);
    /// <summary>Extra labels; Paddock's own labels override keys of the same name.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    public RegistryCredentials? RegistryCredentials { get; init; }
    /// <summary>The workload's containers beside the main one (<see cref="Image"/>, <see cref="Port"/>, ...: the one
    /// the environment's URL routes to). Every instance runs all of them, sharing one network namespace: they reach
    /// each other on localhost. Empty for a one-container workload.</summary>
    public IReadOnlyList<SidecarSpec> Sidecars { get; init; } = [];
    /// <summary>Volumes (made by the <c>volume</c> resource type through <see cref="IVolumeBackend"/>) mounted into the
    /// main container of every instance; they outlive the instances, so data survives a redeploy.</summary>
    public IReadOnlyList<VolumeMount> Volumes { get; init; } = [];
    /// <summary>Files put into the main container before it starts (Score's <c>files</c>).</summary>
    public IReadOnlyList<ContainerFileSpec> Files { get; init; } = [];
    /// <summary>What the environment must be let into to reach other environments' workloads (the <c>service-port</c>
    /// resource type, <see cref="IWorkloadAddressBackend.NetworkOf"/>): engine networks the main container joins besides
    /// its own (Docker), target namespaces (Kubernetes). Empty for most.</summary>
    public IReadOnlyList<string> Networks { get; init; } = [];
    /// <summary>The owning team's quota for the whole environment, where the backend can enforce one; null: the
    /// backend's own default, if it has one.</summary>
    public Teams.EnvironmentQuota? Quota { get; init; }

    /// <summary>Variables and secrets as one set, secrets winning on a clash.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var all = new Dictionary<string, string>(Variables, StringComparer.Ordinal);
        foreach (var (name, value) in Secrets) all[name] = value;
        return all;
    }

    // The generated ToString would print Secrets' type only, but would still print
    // RegistryCredentials through its own ToString; keep the whole record quiet about values.
    public override string ToString() =>
        $"WorkloadSpec {{ {ResourceName} deployment {DeploymentId}, {Image} x{Replicas} on port {Port}" +
        (Sidecars.Count == 0 ? " }" : $" with {string.Join(", ", Sidecars.Select(s => $"{s.Name} ({s.Image})"))} }}");
}

/// <summary>One container of a workload beside its main one. <see cref="Command"/> replaces the image's entrypoint and
/// <see cref="Args"/> its command; null keeps the image's own.</summary>
public sealed record SidecarSpec
{
    public required string Name { get; init; }
    public required string Image { get; init; }
    /// <summary>The content to run when a plan resolved it (<see cref="WorkloadSpec.ImageDigest"/>'s rules); null runs
    /// whatever <see cref="Image"/> names now.</summary>
    public string? ImageDigest { get; init; }
    public IReadOnlyList<string>? Command { get; init; }
    public IReadOnlyList<string>? Args { get; init; }
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
    /// <summary>Decrypted secret values for this container (they win on a name clash). Never logged.</summary>
    public IReadOnlyDictionary<string, string> Secrets { get; init; } = new Dictionary<string, string>();
    public ResourceLimits Limits { get; init; } = ResourceLimits.None;
    /// <summary>This container's readiness probe: its instance is ready only once it passes. Null: none.</summary>
    public ProbeAction? Readiness { get; init; }
    /// <summary>This container's liveness probe: failing it makes its instance drift. Null: none.</summary>
    public ProbeAction? Liveness { get; init; }
    /// <summary>Files put into this container before it starts.</summary>
    public IReadOnlyList<ContainerFileSpec> Files { get; init; } = [];
    /// <summary>Volumes mounted into this container (the same volume may be the main container's too).</summary>
    public IReadOnlyList<VolumeMount> Volumes { get; init; } = [];

    /// <summary>Variables and secrets as one set, secrets winning on a clash.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var all = new Dictionary<string, string>(Variables, StringComparer.Ordinal);
        foreach (var (name, value) in Secrets) all[name] = value;
        return all;
    }

    public override string ToString() => $"SidecarSpec {{ {Name}: {Image} }}";
}

/// <summary>A file a container starts with: its absolute path, its permission bits (0644 unless the workload said
/// otherwise) and its bytes. <see cref="Secret"/> files took a secret's value: backends keep them as they keep secrets
/// (a Kubernetes Secret, not a ConfigMap) and never log, label or report their content.</summary>
public sealed record ContainerFileSpec(string Target, int Mode, byte[] Content, bool Secret)
{
    public const int DefaultMode = 0b110_100_100; // 0644

    public override string ToString() => $"ContainerFileSpec {{ {Target} ({Convert.ToString(Mode, 8)}), {Content.Length} bytes{(Secret ? ", secret" : "")} }}";
}

/// <summary>Credentials for a private registry, sent to the engine as its registry auth, and only for images on
/// that registry (<see cref="For"/>): an image naming another host must not receive them.</summary>
public sealed record RegistryCredentials(string Server, string Username, string Password)
{
    /// <summary>These credentials when <paramref name="image"/> is on their registry; else null (pull without any).</summary>
    public RegistryCredentials? For(string image) => Registries.RegistryHost.Serves(Server, image) ? this : null;

    public override string ToString() => $"RegistryCredentials {{ {Username}@{Server} }}";
}
