using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;

namespace Paddock.Domain.Delivery;

/// <summary>How long one ticket took: from its start (created, or first commit) to the first succeeded deployment
/// that carried it into a production-stage environment. Null <see cref="Duration"/>: not in production yet.</summary>
public sealed record TicketLeadTime(string Key, DateTime? StartedAt, DateTime? InProductionAt, TimeSpan? Duration, bool ClockSkewed)
{
    public bool InProduction => InProductionAt is not null;

    public static TicketLeadTime For(TicketRecord ticket, IEnumerable<DeploymentRecord> deployments, LeadTimeStart start)
    {
        var startedAt = start == LeadTimeStart.FirstCommit ? ticket.FirstCommitAt ?? ticket.CreatedAt : ticket.CreatedAt ?? ticket.FirstCommitAt;
        var production = deployments
            .Where(d => d.Stage == Stage.Production && d.Status == DeploymentStatus.Succeeded && d.FinishedAt is not null
                        && d.Tickets.Contains(ticket.Key, StringComparer.OrdinalIgnoreCase))
            .MinBy(d => d.FinishedAt);
        if (production is null || startedAt is null) return new TicketLeadTime(ticket.Key, startedAt, production?.FinishedAt, null, false);
        var duration = production.FinishedAt!.Value - startedAt.Value;
        // A tracker whose clock is ahead of ours can put creation after delivery: count it as zero, and say so.
        return duration < TimeSpan.Zero
            ? new TicketLeadTime(ticket.Key, startedAt, production.FinishedAt, TimeSpan.Zero, ClockSkewed: true)
            : new TicketLeadTime(ticket.Key, startedAt, production.FinishedAt, duration, false);
    }
}

/// <summary>Lead-time percentiles over the tickets that reached production within a window, and the share under target.</summary>
public sealed record LeadTimeReport(PercentileSummary Summary, TimeSpan Target, double? ShareUnderTarget, int InFlight)
{
    public static LeadTimeReport For(IEnumerable<TicketLeadTime> tickets, TimeWindow window, TimeSpan target)
    {
        var all = tickets.ToList();
        var delivered = all.Where(t => t.Duration is not null && window.Contains(t.InProductionAt!.Value)).Select(t => t.Duration!.Value).ToList();
        var share = delivered.Count == 0 ? (double?)null : delivered.Count(d => d <= target) / (double)delivered.Count;
        return new LeadTimeReport(PercentileSummary.Of(delivered), target, share, all.Count(t => !t.InProduction));
    }
}
