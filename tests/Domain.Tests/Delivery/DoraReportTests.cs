using Paddock.Domain.Delivery;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;

namespace Paddock.Domain.Tests.Delivery;

public sealed class DoraReportTests
{
    private static readonly DateTime T0 = new(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Guid Prod = Guid.NewGuid();
    private static readonly TimeWindow Week = new(T0, T0.AddDays(7));
    private static readonly TimeSpan FixWindow = TimeSpan.FromHours(24);

    private static DeploymentRecord Deploy(double hours, DeploymentStatus status = DeploymentStatus.Succeeded, Guid? redeployOf = null, bool fix = false, Stage stage = Stage.Production, params string[] tickets) =>
        new(Guid.NewGuid(), Prod, stage, status, T0.AddHours(hours - 0.1), T0.AddHours(hours), redeployOf, tickets, fix);

    private static readonly Dictionary<string, TicketRecord> NoTickets = [];

    [Fact]
    public void Deployment_frequency_counts_succeeded_production_deployments_in_the_window()
    {
        var deployments = new[] { Deploy(1), Deploy(30), Deploy(50, DeploymentStatus.Failed), Deploy(60, stage: Stage.Staging), Deploy(-5) };
        var report = DoraReport.For(deployments, NoTickets, Week, FixWindow);
        Assert.Equal(3, report.ProductionDeployments);
        Assert.Equal(2, report.SucceededDeployments);
        Assert.Equal(2.0 / 7, report.DeploymentsPerDay, 6);
        Assert.Equal(2.0, report.DeploymentsPerWeek, 6);
    }

    [Fact]
    public void A_failed_deployment_is_a_failed_change_recovered_by_the_next_success()
    {
        var report = DoraReport.For([Deploy(10), Deploy(20, DeploymentStatus.Failed), Deploy(23)], NoTickets, Week, FixWindow);
        Assert.Equal(1, report.FailedChanges);
        Assert.Equal(1.0 / 3, report.ChangeFailureRate!.Value, 6);
        Assert.Equal(TimeSpan.FromHours(3), report.RecoveryTime.P50);
        Assert.Equal(0, report.Unrecovered);
    }

    [Fact]
    public void A_rolled_back_deployment_is_a_failed_change()
    {
        var good = Deploy(10);
        var bad = Deploy(20);
        var rollback = Deploy(21, redeployOf: good.Id);
        var report = DoraReport.For([good, bad, rollback], NoTickets, Week, FixWindow);
        Assert.Equal(1, report.FailedChanges);
        Assert.Equal(TimeSpan.FromHours(1), report.RecoveryTime.P50);
    }

    [Fact]
    public void A_deployment_followed_soon_by_a_hotfix_or_a_fix_is_a_failed_change()
    {
        var tickets = new Dictionary<string, TicketRecord> { ["PAY-9"] = new("PAY-9", TicketType.Hotfix, T0, T0) };
        var withHotfix = DoraReport.For([Deploy(10), Deploy(12, tickets: "PAY-9")], tickets, Week, FixWindow);
        var markedFix = DoraReport.For([Deploy(10), Deploy(12, fix: true)], NoTickets, Week, FixWindow);
        var tooLate = DoraReport.For([Deploy(10), Deploy(40, tickets: "PAY-9")], tickets, Week, FixWindow);
        Assert.Equal(1, withHotfix.FailedChanges);
        Assert.Equal(1, markedFix.FailedChanges);
        Assert.Equal(0, tooLate.FailedChanges);
    }

    [Fact]
    public void Lead_time_for_changes_runs_from_the_first_commit_to_running_in_production()
    {
        var tickets = new Dictionary<string, TicketRecord>
        {
            ["PAY-1"] = new("PAY-1", TicketType.Feature, T0, FirstCommitAt: T0.AddHours(2)),
            ["PAY-2"] = new("PAY-2", TicketType.Feature, T0, FirstCommitAt: T0.AddHours(8)),
        };
        var report = DoraReport.For([Deploy(10, tickets: ["PAY-1", "PAY-2"])], tickets, Week, FixWindow);
        Assert.Equal(2, report.LeadTimeForChanges.Count);
        Assert.Equal(TimeSpan.FromHours(2), report.LeadTimeForChanges.P50);
        Assert.Equal(TimeSpan.FromHours(8), report.LeadTimeForChanges.P95);
    }

    [Fact]
    public void A_failure_with_no_later_success_is_unrecovered()
    {
        var report = DoraReport.For([Deploy(10, DeploymentStatus.Failed)], NoTickets, Week, FixWindow);
        Assert.Equal(1, report.Unrecovered);
        Assert.Null(report.RecoveryTime.P50);
    }

    [Fact]
    public void An_empty_window_has_no_rates()
    {
        var report = DoraReport.For([], NoTickets, Week, FixWindow);
        Assert.Null(report.ChangeFailureRate);
        Assert.Equal(0, report.DeploymentsPerDay);
    }

    [Fact]
    public void Only_deployments_between_the_rolled_back_target_and_the_rollback_are_failed_changes()
    {
        var good = Deploy(10);
        var bad1 = Deploy(20);
        var bad2 = Deploy(22);
        var rollback = Deploy(23, redeployOf: good.Id);
        var after = Deploy(30);
        var report = DoraReport.For([after, rollback, bad2, good, bad1], NoTickets, Week, FixWindow);
        Assert.Equal(2, report.FailedChanges);
        Assert.Equal(5, report.ProductionDeployments);
    }

    [Fact]
    public void A_hotfix_in_another_environment_does_not_fail_this_one()
    {
        var tickets = new Dictionary<string, TicketRecord> { ["PAY-9"] = new("PAY-9", TicketType.Hotfix, T0, T0) };
        var elsewhere = new DeploymentRecord(Guid.NewGuid(), Guid.NewGuid(), Stage.Production, DeploymentStatus.Succeeded, T0.AddHours(11), T0.AddHours(12), null, ["PAY-9"]);
        var report = DoraReport.For([Deploy(10), elsewhere], tickets, Week, FixWindow);
        Assert.Equal(0, report.FailedChanges);
    }

    [Fact]
    public void Many_production_deployments_are_computed_quickly()
    {
        var deployments = Enumerable.Range(0, 40_000).Select(i => Deploy(i * 0.004, i % 10 == 0 ? DeploymentStatus.Failed : DeploymentStatus.Succeeded)).ToList();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = DoraReport.For(deployments, NoTickets, Week, FixWindow);
        Assert.Equal(4_000, report.FailedChanges);
        Assert.True(watch.ElapsedMilliseconds < 1000, $"took {watch.ElapsedMilliseconds} ms");
    }
}
