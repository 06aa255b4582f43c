namespace Paddock.Domain.Tickets;

/// <summary>A team's own ticket key patterns and lead-time target; a team without a row uses the defaults.</summary>
public sealed class TeamDeliverySettings
{
    public Guid TeamId { get; private set; }
    public string[] TicketKeyPatterns { get; private set; } = [];
    public TimeSpan? LeadTimeTarget { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    private TeamDeliverySettings() { }

    public TeamDeliverySettings(Guid teamId) => TeamId = teamId;

    public void Change(IEnumerable<string> patterns, TimeSpan? leadTimeTarget, DateTime at)
    {
        TicketKeyPatterns = patterns.Distinct(StringComparer.Ordinal).ToArray();
        LeadTimeTarget = leadTimeTarget;
        UpdatedAt = at;
    }
}
