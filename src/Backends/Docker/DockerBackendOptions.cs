namespace Paddock.Backends.Docker;

/// <summary>How to reach one Docker-compatible engine (Docker, or Podman's Docker API service).</summary>
public sealed class DockerBackendOptions
{
    /// <summary>The name environments use to pick this backend.</summary>
    public string Name { get; set; } = "local";

    /// <summary><c>unix:///var/run/docker.sock</c>, <c>tcp://host:2375</c> or <c>http://host:2375</c>.</summary>
    public Uri Endpoint { get; set; } = new("unix:///var/run/docker.sock");

    /// <summary>The host address instances publish their port on; an edge proxy on the same host routes to it.</summary>
    public string PublishAddress { get; set; } = "127.0.0.1";

    /// <summary>How long a stopped instance gets to exit on SIGTERM before it is killed.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many of a failed instance's last log lines a failure carries.</summary>
    public int FailureLogLines { get; set; } = 20;

    /// <summary>How long <c>DescribeAsync</c> waits for the engine to answer.</summary>
    public TimeSpan DescribeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the liveness probes of running instances are run (Score has no period: Kubernetes' default).</summary>
    public TimeSpan LivenessPeriod { get; set; } = TimeSpan.FromSeconds(Paddock.Domain.Applications.ProbeDefaults.PeriodSeconds);

    /// <summary>How long one probe attempt (an HTTP GET, or an exec through the engine) may take before it counts as failed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(Paddock.Domain.Applications.ProbeDefaults.TimeoutSeconds);

    /// <summary>How many liveness failures in a row make an instance drift (Kubernetes' default).</summary>
    public int LivenessFailureThreshold { get; set; } = Paddock.Domain.Applications.ProbeDefaults.FailureThreshold;
}
