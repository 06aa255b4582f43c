using Paddock.Domain.Delivery;

namespace Paddock.Domain.Tests.Delivery;

public sealed class LeadTimeHistoryTests
{
    private static readonly DateTime T0 = new(2026, 11, 2, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Every_window_of_the_history_reports_what_a_pass_over_all_tickets_reports()
    {
        var random = new Random(7);
        var leads = Enumerable.Range(0, 400).Select(i =>
        {
            var started = T0.AddHours(random.Next(0, 24 * 60));
            return random.Next(5) switch
            {
                0 => new TicketLeadTime($"T-{i}", started, null, null, false),                       // in flight
                1 => new TicketLeadTime($"T-{i}", null, started, null, false),                       // delivered, no start known
                _ => new TicketLeadTime($"T-{i}", started, started.AddHours(random.Next(0, 200) / 10.0), TimeSpan.FromHours(random.Next(0, 200) / 10.0), false),
            };
        }).ToList();
        var history = LeadTimeHistory.Of(leads);
        var target = TimeSpan.FromHours(4);

        for (var day = -2; day < 64; day += 3)
        {
            var window = new TimeWindow(T0.AddDays(day), T0.AddDays(day + 7));
            Assert.Equal(Naive(leads, window, target), history.Report(window, target));
        }
    }

    [Fact]
    public void An_empty_window_has_no_percentiles_and_no_share()
    {
        var report = LeadTimeHistory.Of([new TicketLeadTime("T-1", T0, null, null, false)]).Report(new TimeWindow(T0, T0.AddDays(1)), TimeSpan.FromHours(4));
        Assert.Equal(new PercentileSummary(0, null, null, null), report.Summary);
        Assert.Null(report.ShareUnderTarget);
        Assert.Equal(1, report.InFlight);
    }

    /// <summary>The definition, written the slow and obvious way.</summary>
    private static LeadTimeReport Naive(List<TicketLeadTime> leads, TimeWindow window, TimeSpan target)
    {
        var delivered = leads.Where(t => t.Duration is not null && window.Contains(t.InProductionAt!.Value)).Select(t => t.Duration!.Value).ToList();
        var summary = new PercentileSummary(delivered.Count, Percentiles.Of(delivered, 50), Percentiles.Of(delivered, 85), Percentiles.Of(delivered, 95));
        return new LeadTimeReport(summary, target, delivered.Count == 0 ? null : delivered.Count(d => d <= target) / (double)delivered.Count,
            leads.Count(t => !t.InProduction));
    }
}
