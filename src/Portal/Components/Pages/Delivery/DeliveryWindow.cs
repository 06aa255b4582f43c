using Paddock.Domain.Delivery;
using Paddock.Portal.Components.Shared;

namespace Paddock.Portal.Components.Pages.Delivery;

/// <summary>What the delivery dashboard shows, as its address says it (<c>?days=90&amp;app=pay&amp;start=firstCommit</c>),
/// so a view can be bookmarked and shared.</summary>
public sealed record DeliveryWindow(int Days, string? App, LeadTimeStart Start)
{
    public static readonly IReadOnlyList<int> PresetDays = [30, 90, 365];
    public const int DefaultDays = 30;

    /// <summary>Reads the query values; anything unknown falls back to the default rather than failing the page.</summary>
    public static DeliveryWindow From(int? days, string? app, string? start) => new(
        days is { } d && PresetDays.Contains(d) ? d : DefaultDays,
        string.IsNullOrWhiteSpace(app) ? null : app.Trim(),
        string.Equals(start, StartText(LeadTimeStart.FirstCommit), StringComparison.OrdinalIgnoreCase) ? LeadTimeStart.FirstCommit : LeadTimeStart.TicketCreated);

    public static string StartText(LeadTimeStart start) => start == LeadTimeStart.FirstCommit ? "firstCommit" : "created";

    public string Href(string team)
    {
        var query = new List<string> { $"days={Days}" };
        if (App is not null) query.Add($"app={Uri.EscapeDataString(App)}");
        if (Start == LeadTimeStart.FirstCommit) query.Add($"start={StartText(Start)}");
        return $"{Links.Delivery(team)}?{string.Join('&', query)}";
    }

    /// <summary>The same report as CSV from the API, for exactly the window the page shows.</summary>
    public string CsvHref(string team, DateTime from, DateTime to)
    {
        var href = $"/api/v1/teams/{Uri.EscapeDataString(team)}/delivery?format=csv&from={Uri.EscapeDataString(from.ToString("O"))}" +
                   $"&to={Uri.EscapeDataString(to.ToString("O"))}&start={StartText(Start)}";
        return App is null ? href : $"{href}&app={Uri.EscapeDataString(App)}";
    }
}
