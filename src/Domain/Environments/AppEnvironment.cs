using Paddock.Domain.Applications;
using Paddock.Domain.Names;
using Paddock.Domain.Resources;

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
    /// <summary>Whether the reconciler repairs drift (the default). Off, for debugging a live environment,
    /// drift is only reported (OutOfSync with the reason).</summary>
    public bool SelfHeal { get; private set; } = true;
    /// <summary>What the environment's resources' data becomes when they go; null: its stage's default
    /// (<see cref="ResourcePolicies.DefaultFor"/>).</summary>
    public ResourcePolicy? ResourcePolicy { get; private set; }

    public ResourcePolicy EffectiveResourcePolicy => ResourcePolicy ?? ResourcePolicies.DefaultFor(Stage);

    /// <summary><see cref="StatusReason"/> prefixes of what the reconciler found, so it can tell its own reasons
    /// (which it clears once the drift is gone) from a deployment's.</summary>
    public const string DriftReasonPrefix = "Drift: ";
    public const string CrashLoopReasonPrefix = "CrashLoop: ";
    /// <summary>The backend cannot be observed: nobody can tell what runs.</summary>
    public const string UnobservedReasonPrefix = "Unobserved: ";

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

    /// <summary>The deployment passed its probe and now serves the environment; <paramref name="url"/> is null when the
    /// backend gives the environment no public URL.</summary>
    public void DeploymentSucceeded(Guid deploymentId, string? url, bool settingsPending)
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

    /// <summary>The image this environment deploys when nothing else is asked: its own, else the application's.</summary>
    public string ImageOver(string applicationImage) => Overrides.Image ?? applicationImage;

    /// <summary>Deploying an image makes it the environment's image, so that what runs, what the environment says it
    /// runs and what its next deployment uses agree (a one-off image would be undone by the next plain deploy).
    /// Returns whether it changed: deploying the environment's own image again changes and records nothing.</summary>
    public bool AdoptImage(string image, string applicationImage)
    {
        if (ImageOver(applicationImage) == image) return false;
        Overrides = Overrides with { Image = image };
        return true;
    }

    /// <summary>A stage says how the environment is treated (e.g. approvals for production), not where it runs,
    /// so it may change; name, backend and resource name may not.</summary>
    public void ChangeStage(Stage stage) => Stage = stage;

    /// <summary>Returns whether it changed, so an unchanged value writes nothing (and audits nothing).</summary>
    public bool ChangeSelfHeal(bool on)
    {
        if (SelfHeal == on) return false;
        SelfHeal = on;
        return true;
    }

    /// <summary>Null returns to the stage's default. Returns whether it changed.</summary>
    public bool ChangeResourcePolicy(ResourcePolicy? policy)
    {
        if (ResourcePolicy == policy) return false;
        ResourcePolicy = policy;
        return true;
    }

    /// <summary>True when <see cref="StatusReason"/> is the reconciler's (drift or a crash loop), not a deployment's.</summary>
    public bool ReasonIsObserved =>
        StatusReason is { } reason
        && (reason.StartsWith(DriftReasonPrefix, StringComparison.Ordinal) || reason.StartsWith(CrashLoopReasonPrefix, StringComparison.Ordinal)
            || reason.StartsWith(UnobservedReasonPrefix, StringComparison.Ordinal));

    /// <summary>The backend did not answer: Health is Unknown and the reason says why, unless a deployment's reason or
    /// a crash loop stands (that one stays; Health says the rest). Returns whether anything changed.</summary>
    public bool CannotBeObserved(string why) =>
        Observed(EnvironmentHealth.Unknown, Sync,
            StatusReason is null || StatusReason.StartsWith(DriftReasonPrefix, StringComparison.Ordinal)
                || StatusReason.StartsWith(UnobservedReasonPrefix, StringComparison.Ordinal)
                ? UnobservedReasonPrefix + why
                : StatusReason);

    /// <summary>The reconciler found fewer instances serving than the current deployment wants and repairs them now:
    /// until then Health says what users of the URL meet (Missing or Degraded) and the reason says why. Sync stays:
    /// the settings did not change, and the repair restores what the deployment says. A deployment's reason (its
    /// failure while an earlier deployment serves) stays; Health says the rest. Returns whether anything changed.</summary>
    public bool InstancesDown(EnvironmentHealth health, string why) =>
        Observed(health, Sync,
            StatusReason is null || ReasonIsObserved && !StatusReason.StartsWith(CrashLoopReasonPrefix, StringComparison.Ordinal)
                ? DriftReasonPrefix + why
                : StatusReason);

    /// <summary>The reconciler's view of a running environment: how healthy, whether what runs matches the current
    /// deployment, and why not. Only a Running environment takes it (a deployment or teardown owns the others).
    /// Returns whether anything changed, so a resync writes only changes.</summary>
    public bool Observed(EnvironmentHealth health, EnvironmentSync sync, string? reason)
    {
        if (Status != EnvironmentStatus.Running || IsDeleted) return false;
        if (reason is { Length: > 4000 }) reason = reason[..4000];
        if (Health == health && Sync == sync && StatusReason == reason) return false;
        Health = health;
        Sync = sync;
        StatusReason = reason;
        return true;
    }

    /// <summary>Starts teardown; the environment shows Deleting until <see cref="MarkDeleted"/>.</summary>
    public void BeginDeletion()
    {
        Status = EnvironmentStatus.Deleting;
        StatusReason = null;
    }

    /// <summary>Teardown finished: the row stays for history, and frees the name for reuse.</summary>
    public void MarkDeleted(DateTime at) => DeletedAt ??= at;
}
