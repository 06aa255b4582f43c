using Microsoft.AspNetCore.Components;
using Paddock.Domain.Delivery;
using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Tickets;

namespace Paddock.Portal.Components.Pages.Tickets;

/// <summary>"Where is my ticket": the same <see cref="TicketService"/> answer as <c>GET /api/v1/tickets/{key}</c>.
/// A key several visible teams have is not guessed: the page lists those teams, as the API asks for <c>?team=</c>.</summary>
public partial class TicketPage
{
    [Parameter] public string Key { get; set; } = "";
    [SupplyParameterFromQuery] public string? Team { get; set; }

    private TicketDetailView? _detail;
    private IReadOnlyList<string> _teams = [];
    private string? _failure;
    private bool _loading = true;

    private IReadOnlyList<(string Text, string Href)> Crumbs => _detail is { } d
        ? [("Dashboard", Links.Dashboard), ("Teams", Links.Teams), (d.Ticket.Team, Links.Team(d.Ticket.Team)), ("Delivery", Links.Delivery(d.Ticket.Team))]
        : [("Dashboard", Links.Dashboard)];

    protected override async Task OnParametersSetAsync()
    {
        _loading = true;
        var team = string.IsNullOrWhiteSpace(Team) ? null : Team;
        var outcome = await CallAsync<TicketService, TicketDetailView>((s, c, ct) => s.GetAsync(c, Key, team, ct), quiet: true);
        _detail = outcome.Value;
        _teams = [];
        _failure = null;
        if (outcome.Kind == OutcomeKind.Invalid)
            _teams = await Services.RunAsync<TicketService, IReadOnlyList<string>>((s, c, ct) => s.TeamsWithAsync(c, Key, ct), PageClosed);
        else if (outcome.Kind == OutcomeKind.NotFound)
            _failure = team is null
                ? "Paddock has not seen this key in any team you can see: no deployment, commit, webhook or API call has named it."
                : $"Team '{team}' has no ticket with this key that you can see.";
        else if (!outcome.IsOk)
            _failure = outcome.Message;
        _loading = false;
    }

    /// <summary>Why the ticket runs nowhere: never deployed, or deployed and then rolled back (or its environment deleted).</summary>
    private string NowEmptyText =>
        _detail!.Deployments.Any(d => d.Status == Paddock.Domain.Deployments.DeploymentStatus.Succeeded)
            ? "Not running anywhere now: every environment it was deployed to has been rolled back past it, or deleted."
            : "Not running anywhere yet: no deployment that carried it has succeeded.";

    private static string StepName(TimelineStep? step) => step switch
    {
        null => "Not started",
        TimelineStep.Created => "Created",
        TimelineStep.FirstCommit => "First commit",
        TimelineStep.Development => "In development",
        TimelineStep.Staging => "In staging",
        TimelineStep.Production => "Deployed to production",
        TimelineStep.RunningInProduction => "Running in production",
        _ => step.ToString()!,
    };
}
