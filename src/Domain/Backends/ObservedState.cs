namespace Paddock.Domain.Backends;

/// <summary>What a runtime reports for an environment: the input of the reconcile decision.</summary>
public sealed record ObservedState(Guid EnvironmentId, IReadOnlyList<ObservedInstance> Instances);

/// <summary>An instance's state in the words every backend shares. The generic path acts on <see cref="Running"/> (it can
/// serve) and <see cref="Exited"/> (it ended, with an exit code: a crash); the others only describe why an instance
/// does not serve. A runtime's state without a name here is <see cref="Unknown"/>, with the runtime's own word in
/// <see cref="ObservedInstance.RuntimeState"/>.</summary>
public enum InstanceState
{
    Unknown = 0,
    /// <summary>Created but not started yet (a Docker container never started, a pending pod).</summary>
    Created = 1,
    Running = 2,
    /// <summary>Its process ended (<see cref="ObservedInstance.ExitCode"/> says how).</summary>
    Exited = 3,
    Restarting = 5,
    Removing = 6,
    /// <summary>It runs, but a container of it failed its liveness probe (<see cref="ObservedInstance.RuntimeState"/>
    /// says which container and which probe): it no longer counts as serving, and the reconciler replaces it.</summary>
    Unhealthy = 7,
}

/// <summary>One instance as the runtime sees it. <see cref="DeploymentId"/> is null for an instance whose label is unreadable.</summary>
public sealed record ObservedInstance(
    string Id,
    string Name,
    Guid? DeploymentId,
    string Image,
    InstanceState State,
    long? ExitCode,
    HostEndpoint? Endpoint,
    IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>The runtime's own word for a state <see cref="InstanceState"/> has no name for ("paused"), or for
    /// <see cref="InstanceState.Unhealthy"/> which container failed which probe; for messages only; null otherwise.</summary>
    public string? RuntimeState { get; init; }
}
