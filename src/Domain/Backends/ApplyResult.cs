namespace Paddock.Domain.Backends;

/// <summary>The outcome of <see cref="IRuntimeBackend.ApplyAsync"/>: the healthy instances, or why the deployment failed.</summary>
public sealed record ApplyResult
{
    public IReadOnlyList<WorkloadInstance> Instances { get; private init; } = [];
    public ApplyFailure? Failure { get; private init; }
    /// <summary>The content the instances run (<c>sha256:…</c>: the registry's manifest digest, else the engine's
    /// image id), when the backend can tell; recorded on the deployment so that a redeploy runs exactly it.</summary>
    public string? ImageDigest { get; private init; }
    public bool Succeeded => Failure is null;

    /// <summary>The public URL the backend itself serves the environment at (a Kubernetes Ingress host), for a backend
    /// that routes its own traffic (<see cref="ITrafficRouter"/>); null when it has none, and for backends behind Paddock's edge.</summary>
    public Uri? PublicUrl { get; private init; }

    public static ApplyResult Healthy(IReadOnlyList<WorkloadInstance> instances, Uri? publicUrl = null, string? imageDigest = null) =>
        new() { Instances = instances, PublicUrl = publicUrl, ImageDigest = imageDigest };

    public static ApplyResult Failed(ApplyFailureKind kind, string reason, IReadOnlyList<string>? lastLogLines = null) =>
        new() { Failure = new ApplyFailure(kind, reason, lastLogLines ?? []) };
}

/// <summary>Why an apply failed, in the words every backend shares; a backend's finer reasons go into
/// <see cref="ApplyFailure.Reason"/>.</summary>
public enum ApplyFailureKind
{
    ImageNotFound = 0,
    RegistryAuthRefused = 1,
    ExitedAtStart = 2,
    ProbeTimedOut = 3,
    /// <summary>The runtime cannot be reached: the one kind worth trying again as it is (the rollout does).</summary>
    EngineUnreachable = 5,
    /// <summary>The runtime refused what was asked (a host port taken, a quota exceeded, a name held by something else).</summary>
    EngineRejected = 6,
    /// <summary>The image is not on the engine and the pull failed for another reason than "not found" (registry unreachable).</summary>
    ImagePullFailed = 7,
}

/// <summary>Why a deployment failed, in words a developer can act on, with the instance's last log lines when it ran.</summary>
public sealed record ApplyFailure(ApplyFailureKind Kind, string Reason, IReadOnlyList<string> LastLogLines);

/// <summary>One running instance of a deployment and where the host reaches it (what an edge proxy routes to).</summary>
public sealed record WorkloadInstance(string Id, string Name, Guid DeploymentId, int Ordinal, HostEndpoint Endpoint);

/// <summary>A host address and port that reach an instance's port.</summary>
public sealed record HostEndpoint(string Host, int Port)
{
    public Uri HttpUri(string path = "/") => new($"http://{Host}:{Port}{path}");

    public override string ToString() => $"{Host}:{Port}";
}
