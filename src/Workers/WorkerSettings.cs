using Paddock.Domain.Names;

namespace Paddock.Workers;

/// <summary>Configuration section <c>Edge</c>: how a deploy reaches the edge proxy and names an environment's URL.</summary>
public sealed class EdgeSettings
{
    public const string Section = "Edge";

    /// <summary>An environment's host is <c>{resourceName}{HostSuffix}</c>.</summary>
    public string HostSuffix { get; set; } = ".localhost";

    /// <summary>The URL shown for an environment; <c>{host}</c> is replaced by its host.</summary>
    public string PublicUrlTemplate { get; set; } = "http://{host}:5090/";

    /// <summary>Where the deploy job reaches the edge to probe an environment through it (with its Host header).</summary>
    public string Address { get; set; } = "http://127.0.0.1:5090";

    /// <summary>How long a deploy waits for the edge to acknowledge a route change.</summary>
    public int AckTimeoutSeconds { get; set; } = 10;

    /// <summary>How long a deploy waits for the environment to answer through the edge after the switch.</summary>
    public int ProbeTimeoutSeconds { get; set; } = 20;

    /// <summary>How long the old instances keep running after the switch, so requests the edge sent them just before
    /// it finish (zero failed requests during a redeploy).</summary>
    public double DrainSeconds { get; set; } = 2;

    public string HostFor(ResourceName resourceName) => resourceName.Value + HostSuffix;

    public string UrlFor(string host) => PublicUrlTemplate.Replace("{host}", host, StringComparison.Ordinal);
}

/// <summary>Configuration section <c>Deploy</c>: the deploy job's timings.</summary>
public sealed class DeploySettings
{
    public const string Section = "Deploy";

    /// <summary>How long a deploy keeps retrying an unreachable engine (with growing pauses) before it fails.</summary>
    public int EngineRetrySeconds { get; set; } = 60;

    /// <summary>How often a running deploy records that its worker is alive and looks for a cancel request.</summary>
    public int HeartbeatSeconds { get; set; } = 3;

    /// <summary>How often the sweeper looks for deployments and teardowns that lost their job.</summary>
    public int SweepIntervalSeconds { get; set; } = 10;

    /// <summary>A queued deployment this old with no job on it, a deploying one whose heartbeat is this old, or an
    /// environment deleting this long, gets its job again.</summary>
    public int StaleAfterSeconds { get; set; } = 30;

    /// <summary>Names this process in deployments it runs (<c>worker_id</c>).</summary>
    public string WorkerId { get; set; } = $"{System.Environment.MachineName}:{System.Environment.ProcessId}";
}
