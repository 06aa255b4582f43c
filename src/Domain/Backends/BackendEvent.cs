namespace Paddock.Domain.Backends;

/// <summary>Where in a deployment's life (or an instance's) a <see cref="BackendEvent"/> happened.</summary>
public enum BackendEventPhase
{
    Pull = 0,
    Network = 1,
    Create = 2,
    Start = 3,
    Probe = 4,
    Ready = 5,
    Failed = 6,
    Remove = 7,
    /// <summary>An instance changed state in the runtime (start, die, kill, oom, removal): what drift watching needs.</summary>
    Instance = 8,
}

public enum BackendEventLevel
{
    Info = 0,
    Warning = 1,
    Error = 2,
}

/// <summary>Something a backend did or saw, for live status and the deployment log. Never carries secret values.</summary>
public sealed record BackendEvent(
    DateTime At,
    Guid? EnvironmentId,
    BackendEventPhase Phase,
    string Message,
    BackendEventLevel Level = BackendEventLevel.Info)
{
    public Guid? DeploymentId { get; init; }
    public string? InstanceName { get; init; }
    /// <summary>The runtime's own word for what happened ("die", "oom", ...), for <see cref="BackendEventPhase.Instance"/>.</summary>
    public string? Action { get; init; }
    public long? ExitCode { get; init; }
}
