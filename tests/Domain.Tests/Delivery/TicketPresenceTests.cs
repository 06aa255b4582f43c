using Paddock.Domain.Delivery;

namespace Paddock.Domain.Tests.Delivery;

public sealed class TicketPresenceTests
{
    private static readonly Guid R1 = Guid.NewGuid(), R2 = Guid.NewGuid(), R3 = Guid.NewGuid(), R4 = Guid.NewGuid();

    private static readonly Dictionary<Guid, TicketPresence.Revision> History = new()
    {
        [R1] = new(1, null),
        [R2] = new(2, null), // carried the ticket
        [R3] = new(3, R1),   // a rollback to revision 1
        [R4] = new(4, R2),   // a redeploy of revision 2
    };

    [Fact]
    public void The_deployment_that_carried_the_ticket_and_later_ones_run_it()
    {
        Assert.True(TicketPresence.RunsTicket(2, R2, History));
        Assert.False(TicketPresence.RunsTicket(2, R1, History));
    }

    [Fact]
    public void A_rollback_past_the_tickets_deployment_takes_it_out_and_a_redeploy_of_it_brings_it_back()
    {
        Assert.Equal(1, TicketPresence.ContentRevision(R3, History));
        Assert.False(TicketPresence.RunsTicket(2, R3, History));
        Assert.True(TicketPresence.RunsTicket(2, R4, History));
    }

    [Fact]
    public void An_environment_with_nothing_running_runs_no_ticket()
    {
        Assert.False(TicketPresence.RunsTicket(1, null, History));
        Assert.Null(TicketPresence.ContentRevision(Guid.NewGuid(), History));
    }
}
