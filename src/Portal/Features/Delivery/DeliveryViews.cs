using Paddock.Domain.Delivery;

namespace Paddock.Portal.Features.Delivery;

public sealed record PercentilesView(int Count, double? P50Hours, double? P85Hours, double? P95Hours)
{
    public static PercentilesView Of(PercentileSummary s) => new(s.Count, Hours(s.P50), Hours(s.P85), Hours(s.P95));

    public static double? Hours(TimeSpan? t) => t is { } value ? Math.Round(value.TotalHours, 3) : null;
}

/// <summary>Lead time per ticket: <see cref="Start"/> (created or first commit) → first succeeded production deployment.</summary>
public sealed record LeadTimeView(LeadTimeStart Start, PercentilesView Percentiles, double TargetHours, double? ShareUnderTarget, int InFlight);

/// <summary>The four keys, as the DORA 2024 report defines them (see README "Delivery measures").</summary>
public sealed record DoraView(string Definitions, int ProductionDeployments, int SucceededDeployments, double DeploymentsPerDay, double DeploymentsPerWeek,
    PercentilesView LeadTimeForChanges, int FailedChanges, double? ChangeFailureRate, PercentilesView RecoveryTime, int Unrecovered, double FixWindowHours);

public sealed record WeekView(DateTime From, int Deployments, double? ChangeFailureRate, double? LeadTimeP50Hours);

public sealed record InFlightTicketView(string Key, string? Title, TicketType Type, DateTime StartedAt, double AgeHours, string? FurthestStage);

public sealed record DeliveryView(string Team, string? App, DateTime From, DateTime To, LeadTimeView LeadTime, DoraView Dora,
    IReadOnlyList<WeekView> Weeks, IReadOnlyList<InFlightTicketView> SlowestInFlight, IReadOnlyList<TicketLeadTimeRow> Tickets);

/// <summary>One ticket's line in the CSV export (and the report's ticket list).</summary>
public sealed record TicketLeadTimeRow(string Key, string? Title, TicketType Type, DateTime? StartedAt, DateTime? InProductionAt, double? LeadTimeHours, bool ClockSkewed);
