namespace Paddock.Domain.Deployments;

/// <summary>One attempt to make an environment run a snapshot. Immutable in what it applies; only its progress
/// changes, through methods that refuse illegal transitions. A rollback is a new deployment of an old snapshot.</summary>
public sealed class Deployment
{
    public Guid Id { get; private set; }
    public Guid EnvironmentId { get; private set; }
    public Guid ApplicationId { get; private set; }
    /// <summary>The environment's revision number: 1 for its first deployment, then 2, 3, ...</summary>
    public int Revision { get; private set; }
    public DeploymentSnapshot Snapshot { get; private set; } = null!;
    public string? ImageDigest { get; private set; }
    public string TriggeredById { get; private set; } = "";
    public string TriggeredByName { get; private set; } = "";
    public string[] Tickets { get; private set; } = [];
    public string? Message { get; private set; }
    /// <summary>The deployment whose snapshot this one redeploys (a rollback), with the reason given.</summary>
    public Guid? RedeployOf { get; private set; }
    public string? IdempotencyKey { get; private set; }
    public DeploymentStatus Status { get; private set; }
    public string? FailureReason { get; private set; }
    public DateTime QueuedAt { get; private set; }
    public DateTime? StartedAt { get; private set; }
    public DateTime? FinishedAt { get; private set; }
    /// <summary>Set while a worker runs it; a stale heartbeat means the worker died and the sweeper retries it.</summary>
    public string? WorkerId { get; private set; }
    public DateTime? HeartbeatAt { get; private set; }
    public DateTime? CancelRequestedAt { get; private set; }
    /// <summary>Set once a newer deployment serves the environment: from then on this deployment's instances drain
    /// and stop in the background, off the environment's lock (a newer deployment may start meanwhile).</summary>
    public DateTime? RetiringSince { get; private set; }
    /// <summary>Set once this deployment's instances are gone.</summary>
    public DateTime? RetiredAt { get; private set; }
    /// <summary>The plan this deployment applies, when it was started by applying one.</summary>
    public Guid? PlanId { get; private set; }
    /// <summary>The workload revision of the app this deployment runs (null for deployments from before revisions were
    /// recorded, and for a redeploy of one of those).</summary>
    public Guid? WorkloadRevisionId { get; private set; }

    private Deployment() { }

    public Deployment(Guid environmentId, Guid applicationId, int revision, DeploymentSnapshot snapshot, string triggeredById, string triggeredByName,
        IEnumerable<string>? tickets, string? message, Guid? redeployOf, string? idempotencyKey, DateTime queuedAt, Guid? id = null)
    {
        Id = id ?? Guid.CreateVersion7();
        EnvironmentId = environmentId;
        ApplicationId = applicationId;
        Revision = revision;
        Snapshot = snapshot;
        TriggeredById = triggeredById;
        TriggeredByName = triggeredByName;
        Tickets = tickets?.Distinct(StringComparer.OrdinalIgnoreCase).ToArray() ?? [];
        Message = message;
        RedeployOf = redeployOf;
        IdempotencyKey = idempotencyKey;
        Status = DeploymentStatus.Queued;
        QueuedAt = queuedAt;
    }

    public string Image => Snapshot.Image;

    /// <summary>Records the plan this deployment applies and the workload revision it runs; set once, before it runs.</summary>
    public void AppliesPlan(Guid planId, Guid workloadRevisionId)
    {
        if (PlanId is not null) throw new InvalidOperationException($"Deployment {Id} already applies plan {PlanId}.");
        PlanId = planId;
        WorkloadRevisionId = workloadRevisionId;
    }

    /// <summary>Records the workload revision this deployment runs, when it was not started by a plan; set before it runs.</summary>
    public void RunsRevision(Guid? workloadRevisionId)
    {
        if (PlanId is not null) throw new InvalidOperationException($"Deployment {Id} applies plan {PlanId}, which names its revision.");
        WorkloadRevisionId = workloadRevisionId;
    }

    public bool IsLive => !Status.IsTerminal();

    /// <summary>Its instances are on their way out: no longer served, not yet removed.</summary>
    public bool IsRetiring => RetiringSince is not null && RetiredAt is null;

    /// <summary>A newer deployment took over the traffic: this one's instances may go. Only a deployment that went live
    /// has instances left to retire; asking twice keeps the first moment.</summary>
    public void BeginRetiring(DateTime at)
    {
        if (Status != DeploymentStatus.Succeeded) throw new InvalidOperationException($"Only a succeeded deployment retires, not a {Status} one.");
        RetiringSince ??= at;
    }

    /// <summary>Its instances are gone; saying so again keeps the first moment.</summary>
    public void Retired(DateTime at)
    {
        if (RetiringSince is null) throw new InvalidOperationException("A deployment that never began retiring cannot be retired.");
        RetiredAt ??= at;
    }

    public void Start(string workerId, DateTime at)
    {
        if (Status != DeploymentStatus.Queued) throw new InvalidOperationException($"Cannot start a deployment that is {Status}.");
        Status = DeploymentStatus.Deploying;
        StartedAt = at;
        WorkerId = workerId;
        HeartbeatAt = at;
    }

    /// <summary>A worker taking over a Deploying deployment whose previous worker died.</summary>
    public void Resume(string workerId, DateTime at)
    {
        if (Status != DeploymentStatus.Deploying) throw new InvalidOperationException($"Cannot resume a deployment that is {Status}.");
        WorkerId = workerId;
        HeartbeatAt = at;
    }

    public void Beat(DateTime at) => HeartbeatAt = at;

    public void Succeed(string? imageDigest, DateTime at) => Finish(DeploymentStatus.Succeeded, null, at, imageDigest);

    public void Fail(string reason, DateTime at) => Finish(DeploymentStatus.Failed, reason, at);

    public void Supersede(Guid byDeploymentId, DateTime at)
    {
        if (Status != DeploymentStatus.Queued) throw new InvalidOperationException($"Only a queued deployment can be superseded, not a {Status} one.");
        Finish(DeploymentStatus.Superseded, $"Superseded by {byDeploymentId}.", at);
    }

    /// <summary>A queued deployment is cancelled at once; a running one when its worker next checks.</summary>
    public bool RequestCancel(DateTime at)
    {
        if (Status == DeploymentStatus.Queued)
        {
            CancelRequestedAt = at;
            Finish(DeploymentStatus.Cancelled, "Cancelled before it started.", at);
            return true;
        }
        if (Status != DeploymentStatus.Deploying) return false;
        CancelRequestedAt ??= at;
        return true;
    }

    public void Cancel(DateTime at, string reason = "Cancelled while deploying.") => Finish(DeploymentStatus.Cancelled, reason, at);

    private void Finish(DeploymentStatus status, string? reason, DateTime at, string? digest = null)
    {
        if (Status.IsTerminal()) throw new InvalidOperationException($"The deployment already ended as {Status}.");
        Status = status;
        FailureReason = reason;
        FinishedAt = at;
        ImageDigest = digest ?? ImageDigest;
        WorkerId = null;
    }
}
