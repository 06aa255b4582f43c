using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;

namespace Paddock.Domain.Delivery;

/// <summary>A deployment that carried a ticket, with the names a person reads.</summary>
public sealed record CarriedDeployment(DeploymentRecord Deployment, string Application, string Environment, int Revision);

public enum TimelineStep
{
    Created = 0,
    FirstCommit = 1,
    Development = 2,
    Staging = 3,
    Production = 4,
    RunningInProduction = 5,
}

/// <summary>One step of a ticket's way to production. <see cref="SincePrevious"/> is the time spent since the previous
/// step that happened (null for the first, and never negative: a tracker clock ahead of ours counts as zero).</summary>
public sealed record TimelineEntry(TimelineStep Step, DateTime At, TimeSpan? SincePrevious, string? By, string? Application, string? Environment, Guid? DeploymentId);

/// <summary>Where a ticket is: created → first commit → first deployment to each stage → running in production.
/// A stage's step is its first succeeded deployment carrying the ticket (when it was queued, by whom); running in
/// production is when that production deployment finished. Steps that have not happened are left out.</summary>
public sealed record TicketTimeline(IReadOnlyList<TimelineEntry> Steps, TimelineStep? Reached, TimeSpan? LeadTime)
{
    public static TicketTimeline For(TicketRecord ticket, IEnumerable<CarriedDeployment> carried, LeadTimeStart start = LeadTimeStart.TicketCreated)
    {
        var succeeded = carried.Where(c => c.Deployment.Status == DeploymentStatus.Succeeded && c.Deployment.FinishedAt is not null)
            .OrderBy(c => c.Deployment.FinishedAt).ToList();
        var raw = new List<(TimelineStep Step, DateTime At, CarriedDeployment? Via)>();
        if (ticket.CreatedAt is { } created) raw.Add((TimelineStep.Created, created, null));
        if (ticket.FirstCommitAt is { } commit) raw.Add((TimelineStep.FirstCommit, commit, null));
        foreach (var (stage, step) in new[] { (Stage.Development, TimelineStep.Development), (Stage.Staging, TimelineStep.Staging), (Stage.Production, TimelineStep.Production) })
            if (succeeded.FirstOrDefault(c => c.Deployment.Stage == stage) is { } first) raw.Add((step, first.Deployment.QueuedAt, first));
        if (succeeded.FirstOrDefault(c => c.Deployment.Stage == Stage.Production) is { } live)
            raw.Add((TimelineStep.RunningInProduction, live.Deployment.FinishedAt!.Value, live));

        var steps = new List<TimelineEntry>(raw.Count);
        DateTime? previous = null;
        foreach (var (step, at, via) in raw)
        {
            TimeSpan? since = previous is null ? null : at - previous.Value < TimeSpan.Zero ? TimeSpan.Zero : at - previous.Value;
            steps.Add(new TimelineEntry(step, at, since, via?.Deployment.TriggeredBy, via?.Application, via?.Environment, via?.Deployment.Id));
            previous = previous is null || at > previous ? at : previous;
        }
        var lead = TicketLeadTime.For(ticket, steps.FirstOrDefault(s => s.Step == TimelineStep.RunningInProduction)?.At, start);
        return new TicketTimeline(steps, steps.Count == 0 ? null : steps.Max(s => s.Step), lead.Duration);
    }
}
