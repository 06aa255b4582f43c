namespace Paddock.Domain.Environments;

public enum Stage
{
    Development = 0,
    Staging = 1,
    Production = 2,
    Preview = 3,
}

/// <summary>Where an environment is in its life. <see cref="Running"/> means its current deployment
/// succeeded and Paddock's own probe answered through the environment URL.</summary>
public enum EnvironmentStatus
{
    Pending = 0,
    Deploying = 1,
    Running = 2,
    Failed = 3,
    Deleting = 4,
}

public enum EnvironmentHealth
{
    Unknown = 0,
    Healthy = 1,
    Progressing = 2,
    Degraded = 3,
    Missing = 4,
}

public enum EnvironmentSync
{
    Unknown = 0,
    InSync = 1,
    OutOfSync = 2,
}
