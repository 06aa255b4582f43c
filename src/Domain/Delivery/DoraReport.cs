using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;

namespace Paddock.Domain.Delivery;

/// <summary>The four keys as defined in the DORA 2024 State of DevOps report, over production-stage deployments in a window:
/// <list type="bullet">
/// <item>deployment frequency: succeeded production deployments per day (and per week);</item>
/// <item>lead time for changes: first commit of a carried ticket → that deployment running in production (median, p85, p95);</item>
/// <item>change failure rate: the share of production deployments that failed, were rolled back (a later redeploy of an
/// earlier deployment), or were followed within <c>fixWindow</c> by a production deployment carrying a bug or hotfix ticket or
/// marked as a fix;</item>
/// <item>failed deployment recovery time: from such a failure to the next succeeded production deployment (median).</item>
/// </list></summary>
public sealed record DoraReport(
    int ProductionDeployments,
    int SucceededDeployments,
    double DeploymentsPerDay,
    double DeploymentsPerWeek,
    PercentileSummary LeadTimeForChanges,
    int FailedChanges,
    double? ChangeFailureRate,
    PercentileSummary RecoveryTime,
    int Unrecovered)
{
    public const string Definitions = "DORA 2024";

    public static DoraReport For(IEnumerable<DeploymentRecord> deployments, IReadOnlyDictionary<string, TicketRecord> tickets, TimeWindow window, TimeSpan fixWindow) =>
        DoraHistory.Of(deployments, tickets, fixWindow).Report(window);

    internal static DoraReport Compute(DoraHistory history, TimeWindow window)
    {
        var tickets = history.Tickets;
        var inWindow = history.InWindow(window);
        var succeeded = inWindow.Where(d => d.Status == DeploymentStatus.Succeeded).ToList();
        var days = Math.Max(window.Length.TotalDays, 1.0 / 24);

        var leadTimes = succeeded
            .SelectMany(d => d.Tickets.Select(key => tickets.GetValueOrDefault(key)?.FirstCommitAt).OfType<DateTime>()
                .Select(commit => d.FinishedAt!.Value - commit))
            .Select(t => t < TimeSpan.Zero ? TimeSpan.Zero : t)
            .ToList();

        var failures = inWindow.Where(d => history.FailedChanges.Contains(d.Id)).ToList();
        var recoveries = new List<TimeSpan>();
        var unrecovered = 0;
        foreach (var failure in failures)
        {
            var next = FirstAfter(history.SuccessTimes, failure.FinishedAt!.Value);
            if (next is null) unrecovered++;
            else recoveries.Add(next.Value - failure.FinishedAt!.Value);
        }

        return new DoraReport(
            inWindow.Count, succeeded.Count, succeeded.Count / days, succeeded.Count / days * 7,
            PercentileSummary.Of(leadTimes), failures.Count,
            inWindow.Count == 0 ? null : failures.Count / (double)inWindow.Count,
            PercentileSummary.Of(recoveries), unrecovered);
    }

    /// <summary>Ids of the production deployments that count as failed changes. Sorted scans and binary searches rather
    /// than pairwise comparisons: a busy team has tens of thousands of production deployments.</summary>
    internal static HashSet<Guid> FailedChangeIds(IReadOnlyList<DeploymentRecord> production, IReadOnlyDictionary<string, TicketRecord> tickets, TimeSpan fixWindow)
    {
        var failed = production.Where(d => d.Status == DeploymentStatus.Failed).Select(d => d.Id).ToHashSet();
        var finishedById = production.ToDictionary(d => d.Id, d => d.FinishedAt!.Value);
        foreach (var environment in production.GroupBy(d => d.EnvironmentId))
        {
            var ordered = environment.ToList(); // already by FinishedAt
            MarkRolledBack(ordered, finishedById, failed);
            var fixes = ordered.Where(x => x.Status == DeploymentStatus.Succeeded
                    && (x.MarkedFix || x.Tickets.Any(k => tickets.GetValueOrDefault(k)?.Type is TicketType.Bug or TicketType.Hotfix)))
                .Select(x => x.FinishedAt!.Value).ToList();
            if (fixes.Count == 0) continue;
            foreach (var d in ordered)
                if (FirstAfter(fixes, d.FinishedAt!.Value) is { } fix && fix <= d.FinishedAt + fixWindow) failed.Add(d.Id);
        }
        return failed;
    }

    /// <summary>Rolled back: a later deployment of the same environment redeploys one that finished before this one.
    /// Walks backwards keeping the earliest redeployed target among the strictly later deployments.</summary>
    private static void MarkRolledBack(List<DeploymentRecord> ordered, Dictionary<Guid, DateTime> finishedById, HashSet<Guid> failed)
    {
        DateTime? earliestTargetOfLater = null;
        var i = ordered.Count - 1;
        while (i >= 0)
        {
            var finished = ordered[i].FinishedAt!.Value;
            var groupStart = i;
            while (groupStart > 0 && ordered[groupStart - 1].FinishedAt == finished) groupStart--;
            for (var j = groupStart; j <= i; j++)
                if (earliestTargetOfLater < finished) failed.Add(ordered[j].Id);
            for (var j = groupStart; j <= i; j++)
                if (ordered[j].RedeployOf is { } target && finishedById.TryGetValue(target, out var targetFinished)
                    && (earliestTargetOfLater is null || targetFinished < earliestTargetOfLater))
                    earliestTargetOfLater = targetFinished;
            i = groupStart - 1;
        }
    }

    /// <summary>The first time in the sorted list strictly after <paramref name="at"/>.</summary>
    internal static DateTime? FirstAfter(List<DateTime> sorted, DateTime at)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (sorted[mid] <= at) low = mid + 1;
            else high = mid;
        }
        return low < sorted.Count ? sorted[low] : null;
    }
}

/// <summary>The production history the four keys are computed from, sorted and classified once, so that many windows
/// (a dashboard's weekly trend) cost a range lookup each instead of a pass over every deployment.</summary>
public sealed class DoraHistory
{
    internal List<DeploymentRecord> Production { get; }
    internal IReadOnlyDictionary<string, TicketRecord> Tickets { get; }
    internal HashSet<Guid> FailedChanges { get; }
    internal List<DateTime> SuccessTimes { get; }
    private readonly List<DateTime> _finished;

    private DoraHistory(List<DeploymentRecord> production, IReadOnlyDictionary<string, TicketRecord> tickets, TimeSpan fixWindow)
    {
        Production = production;
        Tickets = tickets;
        FailedChanges = DoraReport.FailedChangeIds(production, tickets, fixWindow);
        SuccessTimes = production.Where(d => d.Status == DeploymentStatus.Succeeded).Select(d => d.FinishedAt!.Value).ToList();
        _finished = production.Select(d => d.FinishedAt!.Value).ToList();
    }

    public static DoraHistory Of(IEnumerable<DeploymentRecord> deployments, IReadOnlyDictionary<string, TicketRecord> tickets, TimeSpan fixWindow) =>
        new(deployments
            .Where(d => d.Stage == Stage.Production && d.Status is DeploymentStatus.Succeeded or DeploymentStatus.Failed && d.FinishedAt is not null)
            .OrderBy(d => d.FinishedAt)
            .ToList(), tickets, fixWindow);

    public DoraReport Report(TimeWindow window) => DoraReport.Compute(this, window);

    internal List<DeploymentRecord> InWindow(TimeWindow window)
    {
        var from = LowerBound(window.From);
        var to = LowerBound(window.To);
        return Production.GetRange(from, to - from);
    }

    private int LowerBound(DateTime at)
    {
        int low = 0, high = _finished.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_finished[mid] < at) low = mid + 1;
            else high = mid;
        }
        return low;
    }
}
