namespace Paddock.Domain.Backends;

/// <summary>What a runtime reports for an environment: the input of the reconcile decision.</summary>
public sealed record ObservedState(Guid EnvironmentId, IReadOnlyList<ObservedInstance> Instances);

public enum InstanceState
{
    Unknown = 0,
    Created = 1,
    Running = 2,
    Exited = 3,
    Paused = 4,
    Restarting = 5,
    Removing = 6,
    Dead = 7,
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
    IReadOnlyDictionary<string, string> Labels);
