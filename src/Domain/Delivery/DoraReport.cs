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

    public static DoraReport For(IEnumerable<DeploymentRecord> deployments, IReadOnlyDictionary<string, TicketRecord> tickets, TimeWindow window, TimeSpan fixWindow)
    {
        var production = deployments
            .Where(d => d.Stage == Stage.Production && d.Status is DeploymentStatus.Succeeded or DeploymentStatus.Failed && d.FinishedAt is not null)
            .OrderBy(d => d.FinishedAt)
            .ToList();
        var inWindow = production.Where(d => window.Contains(d.FinishedAt!.Value)).ToList();
        var succeeded = inWindow.Where(d => d.Status == DeploymentStatus.Succeeded).ToList();
        var days = Math.Max(window.Length.TotalDays, 1.0 / 24);

        var leadTimes = succeeded
            .SelectMany(d => d.Tickets.Select(key => tickets.GetValueOrDefault(key)?.FirstCommitAt).OfType<DateTime>()
                .Select(commit => d.FinishedAt!.Value - commit))
            .Select(t => t < TimeSpan.Zero ? TimeSpan.Zero : t)
            .ToList();

        var failures = inWindow.Where(d => IsFailedChange(d, production, tickets, fixWindow)).ToList();
        var recoveries = new List<TimeSpan>();
        var unrecovered = 0;
        foreach (var failure in failures)
        {
            var recovery = production.FirstOrDefault(d => d.Status == DeploymentStatus.Succeeded && d.FinishedAt > failure.FinishedAt && d.Id != failure.Id);
            if (recovery is null) unrecovered++;
            else recoveries.Add(recovery.FinishedAt!.Value - failure.FinishedAt!.Value);
        }

        return new DoraReport(
            inWindow.Count, succeeded.Count, succeeded.Count / days, succeeded.Count / days * 7,
            PercentileSummary.Of(leadTimes), failures.Count,
            inWindow.Count == 0 ? null : failures.Count / (double)inWindow.Count,
            PercentileSummary.Of(recoveries), unrecovered);
    }

    private static bool IsFailedChange(DeploymentRecord d, IReadOnlyList<DeploymentRecord> production, IReadOnlyDictionary<string, TicketRecord> tickets, TimeSpan fixWindow)
    {
        if (d.Status == DeploymentStatus.Failed) return true;
        var later = production.Where(x => x.EnvironmentId == d.EnvironmentId && x.FinishedAt > d.FinishedAt).ToList();
        // Rolled back: a later deployment redeploys one that finished before this one.
        var rolledBack = later.Any(x => x.RedeployOf is { } target && production.FirstOrDefault(p => p.Id == target) is { } old && old.FinishedAt < d.FinishedAt);
        if (rolledBack) return true;
        return later.Any(x => x.FinishedAt <= d.FinishedAt + fixWindow && x.Status == DeploymentStatus.Succeeded
            && (x.MarkedFix || x.Tickets.Any(k => tickets.GetValueOrDefault(k)?.Type is TicketType.Bug or TicketType.Hotfix)));
    }
}
