namespace Paddock.Domain.Deployments;

/// <summary>Queued and Deploying are live; the rest are terminal.</summary>
public enum DeploymentStatus
{
    Queued = 0,
    Deploying = 1,
    Succeeded = 2,
    Failed = 3,
    /// <summary>Replaced by a newer deployment of the same environment before it started.</summary>
    Superseded = 4,
    Cancelled = 5,
}

public static class DeploymentStatuses
{
    public static bool IsTerminal(this DeploymentStatus status) => status is not (DeploymentStatus.Queued or DeploymentStatus.Deploying);
}
