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

/// <summary>What an instance event means to the reconciler.</summary>
public enum InstanceChange
{
    /// <summary>Nothing that can be drift (created, became ready, a resync notice, ...).</summary>
    None = 0,
    /// <summary>An instance started: it may be a stray.</summary>
    Started = 1,
    /// <summary>An instance stopped serving or went away (exited, was killed by the kernel, was removed).</summary>
    Ended = 2,
    /// <summary>Something outside Paddock ended the instance (an operator's kill or stop): drift to repair at once,
    /// not a crash to back off from.</summary>
    EndedFromOutside = 3,
    /// <summary>A container of the instance failed its liveness probe as many times in a row as allowed: it runs, but
    /// is drift to replace.</summary>
    FailedLiveness = 4,
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
    /// <summary>The runtime's own word for what happened ("die", "oom", "deployment-scaled", ...), for
    /// <see cref="BackendEventPhase.Instance"/>: for messages only; decisions read <see cref="Change"/>.</summary>
    public string? Action { get; init; }
    /// <summary>What an <see cref="BackendEventPhase.Instance"/> event means for the environment's convergence, as its
    /// backend judges it from the runtime's own words.</summary>
    public InstanceChange Change { get; init; }
    public long? ExitCode { get; init; }
}
