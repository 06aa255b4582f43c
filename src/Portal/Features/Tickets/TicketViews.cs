using Paddock.Domain.Delivery;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Tickets;

namespace Paddock.Portal.Features.Tickets;

public sealed record TicketView(string Key, string Team, string? Title, string? Url, TicketType Type,
    DateTime? CreatedAt, DateTime? FirstCommitAt, string Source, DateTime RecordedAt)
{
    public static TicketView Of(Ticket t, string team) => new(t.Key, team, t.Title, t.Url, t.Type, t.CreatedAt, t.FirstCommitAt, t.Source, t.RecordedAt);
}

public sealed record TimelineEntryView(TimelineStep Step, DateTime At, TimeSpan? SincePrevious, string? By, string? App, string? Environment, Guid? DeploymentId);

public sealed record CarriedDeploymentView(Guid Id, string App, string Environment, Stage Stage, int Revision, DeploymentStatus Status,
    DateTime QueuedAt, DateTime? FinishedAt, string? TriggeredBy);

/// <summary>An environment that runs the ticket now.</summary>
public sealed record TicketLocationView(string App, string Environment, Stage Stage);

/// <summary>Where a ticket is: the ticket, where it has been (its timeline, with the time spent between steps, and how
/// far it got), its lead time (created → running in production) once there, every deployment that carried it, oldest
/// first, and where it runs now (<see cref="RunningIn"/>; a rolled-back environment no longer counts).</summary>
public sealed record TicketDetailView(TicketView Ticket, IReadOnlyList<TimelineEntryView> Timeline, TimelineStep? Reached, TimeSpan? LeadTime,
    IReadOnlyList<CarriedDeploymentView> Deployments, IReadOnlyList<TicketLocationView> RunningIn);
