namespace Paddock.Domain.Applications;

/// <summary>What a probe decides. Readiness gates traffic: a new instance serves (and a rollout moves on) only once every
/// readiness probe of its containers passes. Liveness keeps watch afterwards: an instance whose container fails its
/// liveness probe several times in a row is drift, and the reconciler replaces it.</summary>
public enum ProbePurpose
{
    Readiness = 0,
    Liveness = 1,
}

/// <summary>An HTTP GET of <paramref name="Path"/> on <paramref name="Port"/> of the instance (its containers share one
/// network), passing on 2xx and 3xx.</summary>
public sealed record ProbeHttpGet(int Port, string Path);

/// <summary>One check of a container: an HTTP GET (<see cref="HttpGet"/>) or a command run inside it (<see cref="Exec"/>,
/// passing when it exits 0). Exactly one of the two is set. Compared by value, the command's words included.</summary>
public sealed record ProbeAction(ProbeHttpGet? HttpGet = null, IReadOnlyList<string>? Exec = null)
{
    public static ProbeAction Get(int port, string path) => new(new ProbeHttpGet(port, path));

    public static ProbeAction Command(params IReadOnlyList<string> command) => new(null, command.ToList());

    /// <summary>In words, for events and failures: "GET /healthz on port 8080", "exec test -f /tmp/ready".</summary>
    public string Describe() => HttpGet is { } http ? $"GET {http.Path} on port {http.Port}" : $"exec {string.Join(' ', Exec ?? [])}";

    public bool Equals(ProbeAction? other) =>
        other is not null && HttpGet == other.HttpGet && (Exec ?? []).SequenceEqual(other.Exec ?? []) && (Exec is null) == (other.Exec is null);

    public override int GetHashCode() => HashCode.Combine(HttpGet, Exec is null ? 0 : string.Join('\0', Exec).GetHashCode(StringComparison.Ordinal));

    public override string ToString() => Describe();
}

/// <summary>A probe of one container of the workload, by its name in the workload. The main container's HTTP or TCP
/// health check on the service port stays <see cref="HealthCheck"/> (a setting of the app, which the form edits); these
/// are the workload's other probes: the main container's liveness probe or exec readiness probe, and the probes of the
/// other containers.</summary>
public sealed record ContainerProbe(string Container, ProbePurpose Purpose, ProbeAction Action);

/// <summary>The defaults Paddock probes with, since Score names no period, timeout or threshold (Kubernetes' own
/// defaults, but for the timeout, which leaves an exec through a container engine room to start).</summary>
public static class ProbeDefaults
{
    public const int PeriodSeconds = 10;
    public const int TimeoutSeconds = 5;
    public const int FailureThreshold = 3;
}
