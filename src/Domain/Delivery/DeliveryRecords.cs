using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;

namespace Paddock.Domain.Delivery;

public enum TicketType
{
    Feature = 0,
    Bug = 1,
    Hotfix = 2,
    Chore = 3,
}

/// <summary>A deployment as the delivery measures see it: plain data, loaded by whatever query suits.</summary>
public sealed record DeploymentRecord(
    Guid Id,
    Guid EnvironmentId,
    Stage Stage,
    DeploymentStatus Status,
    DateTime QueuedAt,
    DateTime? FinishedAt,
    Guid? RedeployOf,
    IReadOnlyList<string> Tickets,
    bool MarkedFix = false,
    string? TriggeredBy = null);

/// <summary>A ticket: created in the tracker (its clock may be ahead of ours), first commit seen.</summary>
public sealed record TicketRecord(string Key, TicketType Type, DateTime? CreatedAt, DateTime? FirstCommitAt);

/// <summary>Where lead time starts: when the ticket was created, or its first commit.</summary>
public enum LeadTimeStart
{
    TicketCreated = 0,
    FirstCommit = 1,
}

public sealed record TimeWindow(DateTime From, DateTime To)
{
    public bool Contains(DateTime at) => at >= From && at < To;

    public TimeSpan Length => To - From;
}
