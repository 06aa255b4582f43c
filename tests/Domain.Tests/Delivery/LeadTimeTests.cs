using Paddock.Domain.Delivery;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;

namespace Paddock.Domain.Tests.Delivery;

public sealed class LeadTimeTests
{
    private static readonly DateTime T0 = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);
    private static readonly Guid Prod = Guid.NewGuid();
    private static readonly Guid Staging = Guid.NewGuid();

    private static DeploymentRecord Deploy(Guid env, Stage stage, double hours, DeploymentStatus status = DeploymentStatus.Succeeded, params string[] tickets) =>
        new(Guid.NewGuid(), env, stage, status, T0.AddHours(hours - 0.1), T0.AddHours(hours), null, tickets);

    private static readonly TicketRecord Ticket = new("PAY-1", TicketType.Feature, CreatedAt: T0, FirstCommitAt: T0.AddHours(1));

    [Fact]
    public void Lead_time_runs_from_creation_to_the_first_succeeded_production_deployment()
    {
        var deployments = new[]
        {
            Deploy(Staging, Stage.Staging, 2, tickets: "PAY-1"),
            Deploy(Prod, Stage.Production, 3, tickets: "PAY-1"),
            Deploy(Prod, Stage.Production, 5, tickets: "PAY-1"),
        };
        var lead = TicketLeadTime.For(Ticket, deployments, LeadTimeStart.TicketCreated);
        Assert.Equal(TimeSpan.FromHours(3), lead.Duration);
        Assert.Equal(T0.AddHours(3), lead.InProductionAt);
    }

    [Fact]
    public void Lead_time_can_start_at_the_first_commit_instead()
    {
        var lead = TicketLeadTime.For(Ticket, [Deploy(Prod, Stage.Production, 3, tickets: "pay-1")], LeadTimeStart.FirstCommit);
        Assert.Equal(TimeSpan.FromHours(2), lead.Duration);
    }

    [Fact]
    public void A_failed_production_deployment_does_not_end_the_lead_time()
    {
        var deployments = new[]
        {
            Deploy(Prod, Stage.Production, 2, DeploymentStatus.Failed, "PAY-1"),
            Deploy(Prod, Stage.Production, 4, tickets: "PAY-1"),
        };
        Assert.Equal(TimeSpan.FromHours(4), TicketLeadTime.For(Ticket, deployments, LeadTimeStart.TicketCreated).Duration);
    }

    [Fact]
    public void A_ticket_that_never_reached_production_is_in_flight()
    {
        var lead = TicketLeadTime.For(Ticket, [Deploy(Staging, Stage.Staging, 2, tickets: "PAY-1")], LeadTimeStart.TicketCreated);
        Assert.False(lead.InProduction);
        Assert.Null(lead.Duration);
    }

    [Fact]
    public void A_tracker_clock_ahead_of_ours_counts_as_zero_and_is_flagged()
    {
        var ahead = Ticket with { CreatedAt = T0.AddHours(4) };
        var lead = TicketLeadTime.For(ahead, [Deploy(Prod, Stage.Production, 3, tickets: "PAY-1")], LeadTimeStart.TicketCreated);
        Assert.Equal(TimeSpan.Zero, lead.Duration);
        Assert.True(lead.ClockSkewed);
    }

    [Fact]
    public void The_report_gives_percentiles_of_delivered_tickets_in_the_window_and_the_share_under_target()
    {
        var leads = new[] { 1, 2, 3, 5, 8 }.Select((h, i) => new TicketLeadTime($"T-{i}", T0, T0.AddHours(h), TimeSpan.FromHours(h), false))
            .Append(new TicketLeadTime("T-open", T0, null, null, false))
            .Append(new TicketLeadTime("T-old", T0.AddDays(-30), T0.AddDays(-20), TimeSpan.FromHours(1), false));
        var report = LeadTimeReport.For(leads, new TimeWindow(T0, T0.AddDays(7)), TimeSpan.FromHours(4));

        Assert.Equal(5, report.Summary.Count);
        Assert.Equal(TimeSpan.FromHours(3), report.Summary.P50);
        Assert.Equal(TimeSpan.FromHours(8), report.Summary.P85);
        Assert.Equal(TimeSpan.FromHours(8), report.Summary.P95);
        Assert.Equal(0.6, report.ShareUnderTarget!.Value, 3);
        Assert.Equal(1, report.InFlight);
    }

    [Fact]
    public void Nearest_rank_percentiles_are_values_that_happened()
    {
        var values = Enumerable.Range(1, 20).Select(i => TimeSpan.FromMinutes(i)).ToList();
        Assert.Equal(TimeSpan.FromMinutes(10), Percentiles.Of(values, 50));
        Assert.Equal(TimeSpan.FromMinutes(17), Percentiles.Of(values, 85));
        Assert.Equal(TimeSpan.FromMinutes(19), Percentiles.Of(values, 95));
        Assert.Null(Percentiles.Of([], 50));
    }
}
