namespace Paddock.Domain.Edge;

/// <summary>Where the edge proxy sends an environment's stable URL: its host name and the instance endpoints of
/// the deployment that serves it. A deploy switches traffic by replacing <see cref="Upstreams"/> in one update (a single statement in the
/// workers' <c>EdgeSwitch</c>);
/// the edge applies it atomically and acknowledges with <see cref="AppliedVersion"/>, after which the old
/// instances can go.</summary>
public sealed class EdgeRoute
{
    public Guid EnvironmentId { get; private set; }
    public string Host { get; private set; } = "";
    public Guid DeploymentId { get; private set; }
    public string[] Upstreams { get; private set; } = [];
    public long Version { get; private set; }
    public long AppliedVersion { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    private EdgeRoute() { }
}
