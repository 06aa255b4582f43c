using Paddock.Domain.Applications;
using Paddock.Domain.Names;

namespace Paddock.Domain.Environments;

/// <summary>One running copy of an application (dev, staging, production, a preview).
/// Named AppEnvironment to stay clear of <see cref="System.Environment"/>.</summary>
public sealed class AppEnvironment
{
    public Guid Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public EnvironmentName Name { get; private set; }
    public ResourceName ResourceName { get; private set; }
    public Stage Stage { get; private set; }
    public string Backend { get; private set; } = "";
    public EnvironmentOverrides Overrides { get; set; } = EnvironmentOverrides.None;
    public Dictionary<string, string> VariableOverrides { get; set; } = [];
    public EnvironmentStatus Status { get; private set; }
    public string? StatusReason { get; private set; }
    public string? Url { get; private set; }
    public Guid? CurrentDeploymentId { get; private set; }
    public EnvironmentHealth Health { get; private set; }
    public EnvironmentSync Sync { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateTime? DeletedAt { get; private set; }
    /// <summary>The last deployment revision handed out.</summary>
    public int LastRevision { get; private set; }

    private AppEnvironment() { }

    public AppEnvironment(Application app, EnvironmentName name, Stage stage, string backend, string createdBy, DateTime createdAt)
    {
        Id = Guid.CreateVersion7();
        ApplicationId = app.Id;
        Name = name;
        ResourceName = ResourceName.For(app.Name, name);
        Stage = stage;
        Backend = backend;
        Status = EnvironmentStatus.Pending;
        Health = EnvironmentHealth.Unknown;
        Sync = EnvironmentSync.Unknown;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    public bool IsDeleted => DeletedAt is not null;

    public int NextRevision() => ++LastRevision;

    public void DeploymentStarted()
    {
        if (Status == EnvironmentStatus.Deleting) return;
        Status = EnvironmentStatus.Deploying;
        Health = EnvironmentHealth.Progressing;
    }

    /// <summary>The deployment passed its probe through the environment URL and now serves it.</summary>
    public void DeploymentSucceeded(Guid deploymentId, string url, bool settingsPending)
    {
        if (Status == EnvironmentStatus.Deleting) return;
        CurrentDeploymentId = deploymentId;
        Url = url;
        Status = EnvironmentStatus.Running;
        StatusReason = null;
        Health = EnvironmentHealth.Healthy;
        Sync = settingsPending ? EnvironmentSync.OutOfSync : EnvironmentSync.InSync;
    }

    /// <summary>A failed deployment leaves a previously running deployment serving: the environment stays
    /// Running (with the reason shown); with nothing serving it is Failed.</summary>
    public void DeploymentFailed(string reason)
    {
        if (Status == EnvironmentStatus.Deleting) return;
        StatusReason = reason;
        if (CurrentDeploymentId is null)
        {
            Status = EnvironmentStatus.Failed;
            Health = EnvironmentHealth.Missing;
        }
        else
        {
            Status = EnvironmentStatus.Running;
            Health = EnvironmentHealth.Healthy;
        }
    }

    /// <summary>Settings changed since the current deployment: "pending changes" until someone deploys.</summary>
    public void SettingsChanged(bool differFromCurrentDeployment)
    {
        if (CurrentDeploymentId is null) return;
        Sync = differFromCurrentDeployment ? EnvironmentSync.OutOfSync : EnvironmentSync.InSync;
    }

    /// <summary>A stage says how the environment is treated (e.g. approvals for production), not where it runs,
    /// so it may change; name, backend and resource name may not.</summary>
    public void ChangeStage(Stage stage) => Stage = stage;

    /// <summary>Starts teardown; the environment shows Deleting until <see cref="MarkDeleted"/>.</summary>
    public void BeginDeletion()
    {
        Status = EnvironmentStatus.Deleting;
        StatusReason = null;
    }

    /// <summary>Teardown finished: the row stays for history, and frees the name for reuse.</summary>
    public void MarkDeleted(DateTime at) => DeletedAt ??= at;
}
