using MudBlazor;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;

namespace Paddock.Portal.Components.Shared;

/// <summary>The one mapping from a status to its colour, so the same status looks the same on every card and page:
/// green is serving or done, blue is under way, amber needs a look, red failed, grey ended without effect.</summary>
public static class StatusColors
{
    public static Color Of(EnvironmentStatus status) => status switch
    {
        EnvironmentStatus.Running => Color.Success,
        EnvironmentStatus.Deploying => Color.Info,
        EnvironmentStatus.Failed => Color.Error,
        EnvironmentStatus.Deleting => Color.Warning,
        _ => Color.Default,
    };

    public static Color Of(EnvironmentHealth health) => health switch
    {
        EnvironmentHealth.Healthy => Color.Success,
        EnvironmentHealth.Progressing => Color.Info,
        EnvironmentHealth.Degraded => Color.Warning,
        EnvironmentHealth.Missing => Color.Error,
        _ => Color.Default,
    };

    public static Color Of(EnvironmentSync sync) => sync switch
    {
        EnvironmentSync.InSync => Color.Success,
        EnvironmentSync.OutOfSync => Color.Warning,
        _ => Color.Default,
    };

    public static Color Of(DeploymentStatus status) => status switch
    {
        DeploymentStatus.Succeeded => Color.Success,
        DeploymentStatus.Queued or DeploymentStatus.Deploying => Color.Info,
        DeploymentStatus.Failed => Color.Error,
        _ => Color.Default, // Cancelled, Superseded
    };
}
