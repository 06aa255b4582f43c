using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;

namespace Paddock.Domain.Delivery;

/// <summary>How long one ticket took: from its start (created, or first commit) to the first succeeded deployment
/// that carried it into a production-stage environment. Null <see cref="Duration"/>: not in production yet.</summary>
public sealed record TicketLeadTime(string Key, DateTime? StartedAt, DateTime? InProductionAt, TimeSpan? Duration, bool ClockSkewed)
{
    public bool InProduction => InProductionAt is not null;

    public static TicketLeadTime For(TicketRecord ticket, IEnumerable<DeploymentRecord> deployments, LeadTimeStart start) =>
        For(ticket, FirstInProduction(deployments).TryGetValue(ticket.Key, out var at) ? at : null, start);

    /// <summary>Lead time when the first succeeded production deployment is already known (see <see cref="FirstInProduction"/>).</summary>
    public static TicketLeadTime For(TicketRecord ticket, DateTime? inProductionAt, LeadTimeStart start)
    {
        var startedAt = StartOf(ticket, start);
        if (inProductionAt is null || startedAt is null) return new TicketLeadTime(ticket.Key, startedAt, inProductionAt, null, false);
        var duration = inProductionAt.Value - startedAt.Value;
        // A tracker whose clock is ahead of ours can put creation after delivery: count it as zero, and say so.
        return duration < TimeSpan.Zero
            ? new TicketLeadTime(ticket.Key, startedAt, inProductionAt, TimeSpan.Zero, ClockSkewed: true)
            : new TicketLeadTime(ticket.Key, startedAt, inProductionAt, duration, false);
    }

    public static DateTime? StartOf(TicketRecord ticket, LeadTimeStart start) =>
        start == LeadTimeStart.FirstCommit ? ticket.FirstCommitAt ?? ticket.CreatedAt : ticket.CreatedAt ?? ticket.FirstCommitAt;

    /// <summary>For every ticket key (case-insensitive), when its first succeeded production deployment finished: one pass.</summary>
    public static Dictionary<string, DateTime> FirstInProduction(IEnumerable<DeploymentRecord> deployments)
    {
        var first = new Dictionary<string, DateTime>(StringComparer.OrdinalIgnoreCase);
        foreach (var d in deployments)
        {
            if (d.Stage != Stage.Production || d.Status != DeploymentStatus.Succeeded || d.FinishedAt is not { } finished) continue;
            foreach (var key in d.Tickets)
                if (!first.TryGetValue(key, out var known) || finished < known) first[key] = finished;
        }
        return first;
    }
}

/// <summary>Lead-time percentiles over the tickets that reached production within a window, and the share under target.</summary>
public sealed record LeadTimeReport(PercentileSummary Summary, TimeSpan Target, double? ShareUnderTarget, int InFlight)
{
    public static LeadTimeReport For(IEnumerable<TicketLeadTime> tickets, TimeWindow window, TimeSpan target) =>
        LeadTimeHistory.Of(tickets).Report(window, target);
}
