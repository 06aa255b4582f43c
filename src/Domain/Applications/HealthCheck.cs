namespace Paddock.Domain.Applications;

public enum HealthCheckKind
{
    Http = 0,
    Tcp = 1,
}

/// <summary>How Paddock probes a container: an HTTP GET of <see cref="Path"/> that must answer 2xx/3xx,
/// or a TCP connect to the container port.</summary>
public sealed record HealthCheck(HealthCheckKind Kind, string? Path, int IntervalSeconds = 2, int TimeoutSeconds = 60)
{
    public static HealthCheck Default { get; } = new(HealthCheckKind.Http, "/");

    public string? Check()
    {
        if (Kind == HealthCheckKind.Http && (string.IsNullOrWhiteSpace(Path) || !Path.StartsWith('/')))
            return "An HTTP health check needs a path starting with '/'.";
        if (IntervalSeconds is < 1 or > 300) return "intervalSeconds must be between 1 and 300.";
        if (TimeoutSeconds is < 1 or > 3600) return "timeoutSeconds must be between 1 and 3600.";
        return null;
    }
}
