using Paddock.Domain.Names;

namespace Paddock.Domain.Applications;

/// <summary>A deployable application owned by a team: the defaults every environment starts from.</summary>
public sealed class Application
{
    public Guid Id { get; private set; }
    public AppName Name { get; private set; }
    public Guid TeamId { get; private set; }
    public string Description { get; set; } = "";
    public string? RepositoryUrl { get; set; }
    public string Image { get; set; } = "";
    public int Port { get; set; }
    public string[]? Command { get; set; }
    public HealthCheck HealthCheck { get; set; } = HealthCheck.Default;
    public int Replicas { get; set; } = 1;
    public ResourceLimits Limits { get; set; } = ResourceLimits.None;
    public Dictionary<string, string> Variables { get; set; } = [];
    /// <summary>How long an instance gets to exit after SIGTERM before it is killed; null: the backend's default
    /// (10 s for a Docker engine, like Docker's own).</summary>
    public int? StopGracePeriodSeconds { get; set; }
    /// <summary>The workload's other containers, beside the main one these settings describe: what the last applied
    /// Score workload said, kept here so that every later deployment (the form's, a redeploy) runs them too.</summary>
    public List<SidecarContainer> Sidecars { get; set; } = [];
    public DateTime CreatedAt { get; private set; }
    public DateTime? DeletedAt { get; private set; }

    private Application() { }

    public Application(AppName name, Guid teamId, string image, int port, DateTime createdAt)
    {
        Id = Guid.CreateVersion7();
        Name = name;
        TeamId = teamId;
        Image = image;
        Port = port;
        CreatedAt = createdAt;
    }

    public bool IsDeleted => DeletedAt is not null;

    public void MarkDeleted(DateTime at) => DeletedAt ??= at;

    public const int MaxReplicas = 50;
    public const int MaxStopGracePeriodSeconds = 3600;

    public static string? CheckStopGracePeriod(int? seconds) =>
        seconds is null or (>= 0 and <= MaxStopGracePeriodSeconds) ? null : $"Must be between 0 and {MaxStopGracePeriodSeconds}.";

    public static string? CheckPort(int port) => port is >= 1 and <= 65535 ? null : "Must be between 1 and 65535.";

    public static string? CheckReplicas(int replicas) =>
        replicas is >= 0 and <= MaxReplicas ? null : $"Must be between 0 and {MaxReplicas}.";
}
