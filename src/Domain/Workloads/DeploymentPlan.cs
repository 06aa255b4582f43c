namespace Paddock.Domain.Workloads;

/// <summary>What applying a workload to one environment would change, as it was shown to whoever made it, and
/// what it was planned against. Applying it is allowed once, before it expires, and only while nothing it was
/// planned against moved (<see cref="Base"/>): then the deployment runs exactly what the plan showed.</summary>
public sealed class DeploymentPlan
{
    public Guid Id { get; private set; }
    public Guid ApplicationId { get; private set; }
    public Guid EnvironmentId { get; private set; }
    /// <summary>The workload text the plan would make the app's revision (as submitted, or the current revision's).</summary>
    public string WorkloadText { get; private set; } = "";
    public string ContentHash { get; private set; } = "";
    public string Summary { get; private set; } = "";
    /// <summary>The planner's items as JSON (secrets only as changed or unchanged).</summary>
    public string Items { get; private set; } = "";
    /// <summary>The plan as text, like <c>terraform plan</c>.</summary>
    public string Text { get; private set; } = "";
    public PlanBase Base { get; private set; } = null!;
    public string CreatedById { get; private set; } = "";
    public string CreatedByName { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public DateTime ExpiresAt { get; private set; }
    public DateTime? AppliedAt { get; private set; }
    public Guid? DeploymentId { get; private set; }
    public Guid? AppliedRevisionId { get; private set; }

    private DeploymentPlan() { }

    public DeploymentPlan(Guid applicationId, Guid environmentId, string workloadText, string contentHash, string summary, string items,
        string text, PlanBase planBase, string createdById, string createdByName, DateTime createdAt, DateTime expiresAt)
    {
        Id = Guid.CreateVersion7();
        ApplicationId = applicationId;
        EnvironmentId = environmentId;
        WorkloadText = workloadText;
        ContentHash = contentHash;
        Summary = summary;
        Items = items;
        Text = text;
        Base = planBase;
        CreatedById = createdById;
        CreatedByName = createdByName;
        CreatedAt = createdAt;
        ExpiresAt = expiresAt;
    }

    public bool IsApplied => AppliedAt is not null;

    public bool HasExpired(DateTime now) => now >= ExpiresAt;

    /// <summary>Records that the plan was applied as <paramref name="deploymentId"/>; a plan is applied at most once.</summary>
    public void Applied(Guid deploymentId, Guid revisionId, DateTime at)
    {
        if (IsApplied) throw new InvalidOperationException($"Plan {Id} was already applied as deployment {DeploymentId}.");
        AppliedAt = at;
        DeploymentId = deploymentId;
        AppliedRevisionId = revisionId;
    }
}

/// <summary>What a plan was made against. <paramref name="RevisionHash"/>: the app's current workload revision;
/// <paramref name="SettingsHash"/>: what the environment would deploy (its overrides, pinned secret and registry
/// credential versions, over the app's settings); <paramref name="CurrentDeploymentId"/>: what ran;
/// <paramref name="LastDeploymentRevision"/>: the last deployment queued in the environment.</summary>
public sealed record PlanBase(
    Guid RevisionId, int RevisionNumber, string RevisionHash, string SettingsHash, Guid? CurrentDeploymentId, int LastDeploymentRevision);
