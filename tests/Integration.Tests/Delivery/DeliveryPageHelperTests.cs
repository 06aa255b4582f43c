using Paddock.Domain.Delivery;
using Paddock.Portal.Components.Pages.Delivery;
using Paddock.Portal.Components.Shared;

namespace Paddock.Integration.Tests.Delivery;

/// <summary>The delivery pages' pure helpers: how durations read, and how the dashboard's address carries its view.</summary>
public sealed class DeliveryPageHelperTests
{
    [Theory]
    [InlineData(0, "0 min")]
    [InlineData(45, "45 min")]
    [InlineData(60, "1 h")]
    [InlineData(190, "3 h 10 min")]
    [InlineData(47 * 60 + 59, "47 h 59 min")]
    [InlineData(48 * 60, "2 d")]
    [InlineData(50 * 60 + 20, "2 d 2 h")]
    public void Durations_read_in_minutes_hours_or_days(int minutes, string expected) =>
        Assert.Equal(expected, Durations.Format(TimeSpan.FromMinutes(minutes)));

    [Fact]
    public void Missing_durations_and_shares_read_as_a_dash_and_shares_as_percentages()
    {
        Assert.Equal(Durations.None, Durations.Format(null));
        Assert.Equal(Durations.None, Durations.FromHours(null));
        Assert.Equal("3 h 10 min", Durations.FromHours(3.167));
        Assert.Equal("33.3 %", Durations.Percent(1 / 3.0));
        Assert.Equal(Durations.None, Durations.Percent(null));
    }

    [Fact]
    public void The_dashboard_address_round_trips_its_window_app_and_start()
    {
        var window = new DeliveryWindow(90, "pay", LeadTimeStart.FirstCommit);
        Assert.Equal("/teams/payments/delivery?days=90&app=pay&start=firstCommit", window.Href("payments"));
        Assert.Equal(window, DeliveryWindow.From(90, "pay", "firstcommit"));
    }

    [Fact]
    public void Unknown_address_values_fall_back_to_the_default_view()
    {
        Assert.Equal(new DeliveryWindow(30, null, LeadTimeStart.TicketCreated), DeliveryWindow.From(7, " ", "whenever"));
    }

    [Fact]
    public void The_csv_link_asks_the_api_for_exactly_the_window_shown()
    {
        var from = new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc);
        var href = new DeliveryWindow(30, "pay", LeadTimeStart.TicketCreated).CsvHref("payments", from, from.AddDays(30));
        Assert.Equal("/api/v1/teams/payments/delivery?format=csv&from=2026-10-01T00%3A00%3A00.0000000Z&to=2026-10-31T00%3A00%3A00.0000000Z&start=created&app=pay", href);
    }

    [Fact]
    public void The_help_text_names_the_dora_report_year()
    {
        Assert.Contains("DORA 2024 State of DevOps report", DeliveryHelp.Dora(DoraReport.Definitions));
        Assert.Contains("24 h", DeliveryHelp.ChangeFailureRate(24));
    }

    [Fact]
    public void An_empty_in_flight_list_agrees_with_the_in_flight_count()
    {
        Assert.Contains("Every ticket", DeliveryHelp.NoSlowestInFlight(0));
        Assert.DoesNotContain("Every ticket", DeliveryHelp.NoSlowestInFlight(1));
        Assert.StartsWith("1 ticket is not in production yet", DeliveryHelp.NoSlowestInFlight(1));
        Assert.StartsWith("3 tickets", DeliveryHelp.NoSlowestInFlight(3));
    }

    [Fact]
    public void Recovery_is_called_complete_only_when_there_was_a_failure_to_recover_from()
    {
        Assert.DoesNotContain("every failure recovered", DeliveryHelp.RecoveryNote(0, 0));
        Assert.Contains("nothing to recover from", DeliveryHelp.RecoveryNote(0, 0));
        Assert.Equal("every failure recovered (2)", DeliveryHelp.RecoveryNote(2, 0));
        Assert.Equal("1 not recovered yet", DeliveryHelp.RecoveryNote(2, 1));
    }

    [Fact]
    public void Week_bars_scale_to_the_largest_value_and_leave_weeks_without_a_value_empty()
    {
        var bars = WeekBars.Scale([2, null, 4, 0]);

        Assert.Equal([50.0, 0, 100, 0], bars.Select(b => b.Percent));
        Assert.Equal([true, false, true, true], bars.Select(b => b.HasValue));
        Assert.False(WeekBars.AnyData([null, null]));
        Assert.False(WeekBars.AnyData([null, 0]));
        Assert.True(WeekBars.AnyData([0, 1]));
    }
}
