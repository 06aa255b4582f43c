using Paddock.Domain.Delivery;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;

namespace Paddock.Domain.Tests.Delivery;

public sealed class TicketTimelineTests
{
    private static readonly DateTime T0 = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

    private static CarriedDeployment Carried(Stage stage, double hours, DeploymentStatus status = DeploymentStatus.Succeeded, string by = "ana") =>
        new(new DeploymentRecord(Guid.NewGuid(), Guid.NewGuid(), stage, status, T0.AddHours(hours - 0.5), T0.AddHours(hours), null, ["PAY-1"], TriggeredBy: by),
            "pay", stage.ToString().ToLowerInvariant(), 1);

    [Fact]
    public void The_timeline_runs_from_creation_through_each_stage_to_running_in_production()
    {
        var ticket = new TicketRecord("PAY-1", TicketType.Feature, T0, T0.AddHours(1));
        var timeline = TicketTimeline.For(ticket, [Carried(Stage.Production, 6, by: "bo"), Carried(Stage.Development, 2), Carried(Stage.Staging, 4)]);

        Assert.Equal([TimelineStep.Created, TimelineStep.FirstCommit, TimelineStep.Development, TimelineStep.Staging, TimelineStep.Production, TimelineStep.RunningInProduction],
            timeline.Steps.Select(s => s.Step));
        Assert.Equal(TimeSpan.FromHours(1), timeline.Steps[1].SincePrevious);
        Assert.Equal(TimeSpan.FromHours(0.5), timeline.Steps[2].SincePrevious);
        Assert.Equal("bo", timeline.Steps[4].By);
        Assert.Equal(TimeSpan.FromHours(0.5), timeline.Steps[5].SincePrevious);
        Assert.Equal(TimelineStep.RunningInProduction, timeline.Reached);
        Assert.Equal(TimeSpan.FromHours(6), timeline.LeadTime);
    }

    [Fact]
    public void Deployed_to_production_twice_counts_the_first_success_and_ignores_failures()
    {
        var ticket = new TicketRecord("PAY-1", TicketType.Bug, T0, null);
        var timeline = TicketTimeline.For(ticket, [Carried(Stage.Production, 3, DeploymentStatus.Failed), Carried(Stage.Production, 5), Carried(Stage.Production, 9)]);
        Assert.Equal(T0.AddHours(5), timeline.Steps.Single(s => s.Step == TimelineStep.RunningInProduction).At);
        Assert.Equal(TimeSpan.FromHours(5), timeline.LeadTime);
    }

    [Fact]
    public void A_ticket_that_never_reached_production_stops_at_its_furthest_stage()
    {
        var timeline = TicketTimeline.For(new TicketRecord("PAY-1", TicketType.Feature, T0, null), [Carried(Stage.Staging, 4)]);
        Assert.Equal(TimelineStep.Staging, timeline.Reached);
        Assert.Null(timeline.LeadTime);
    }

    [Fact]
    public void A_tracker_clock_ahead_of_ours_never_gives_negative_time_between_steps()
    {
        var timeline = TicketTimeline.For(new TicketRecord("PAY-1", TicketType.Feature, T0.AddHours(10), null), [Carried(Stage.Production, 2)]);
        Assert.All(timeline.Steps, s => Assert.True(s.SincePrevious is null || s.SincePrevious >= TimeSpan.Zero));
        Assert.Equal(TimeSpan.Zero, timeline.LeadTime);
    }
}
