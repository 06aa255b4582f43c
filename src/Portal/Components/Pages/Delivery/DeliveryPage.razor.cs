using Microsoft.AspNetCore.Components;
using Paddock.Domain.Access;
using Paddock.Domain.Delivery;
using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Delivery;

namespace Paddock.Portal.Components.Pages.Delivery;

/// <summary>A team's delivery dashboard: lead time, the DORA four keys, the weekly trend and the slowest tickets in
/// flight, from the same <see cref="DeliveryService"/> report as <c>GET /api/v1/teams/{team}/delivery</c>. The window,
/// app and start live in the address, so every change is a navigation and a view can be shared.</summary>
public partial class DeliveryPage
{
    private const string AllApps = "";

    [Parameter] public string TeamName { get; set; } = "";
    [SupplyParameterFromQuery] public int? Days { get; set; }
    [SupplyParameterFromQuery] public string? App { get; set; }
    [SupplyParameterFromQuery] public string? Start { get; set; }
    [Inject] public required TimeProvider Clock { get; init; }

    private DeliveryWindow _window = DeliveryWindow.From(null, null, null);
    private DeliveryView? _view;
    private IReadOnlyList<string> _apps = [];
    private TeamAccess _access;
    private bool _loading = true;
    private string? _failure;
    private string? _ticketKey;
    private string? _loadedTeam;

    protected override async Task OnParametersSetAsync()
    {
        _window = DeliveryWindow.From(Days, App, Start);
        if (_loadedTeam != TeamName)
        {
            _apps = ((await CallAsync<ApplicationService, IReadOnlyList<AppView>>((s, c, ct) => s.ListAsync(c, TeamName, ct), quiet: true)).Value ?? [])
                .Select(a => a.Name).ToList();
            _access = await Services.RunAsync<AccessQueries, TeamAccess>(async (q, c, ct) => (await q.TeamAsync(c.Actor, TeamName, ct)).Access, PageClosed);
            _loadedTeam = TeamName;
        }
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        _loading = true;
        var window = _window;
        // The page shows no per-ticket list, so it does not ask for one (nor for every title).
        var query = new DeliveryQuery(From: Clock.GetUtcNow().UtcDateTime.AddDays(-window.Days).ToString("O"), Start: DeliveryWindow.StartText(window.Start),
            App: window.App, WithTickets: false);
        var report = await CallAsync<DeliveryService, DeliveryView>((s, c, ct) => s.ReportAsync(c, TeamName, query, ct), quiet: true);
        _loading = false;
        _view = report.Value;
        _failure = report.IsOk ? null : report.Message;
    }

    private void Show(DeliveryWindow window) => Navigation.NavigateTo(window.Href(TeamName));

    private void FindTicket()
    {
        if (!string.IsNullOrWhiteSpace(_ticketKey)) Navigation.NavigateTo(Links.Ticket(_ticketKey.Trim().ToUpperInvariant(), TeamName));
    }
}
