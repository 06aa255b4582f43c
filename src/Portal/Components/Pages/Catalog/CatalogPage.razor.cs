using Microsoft.AspNetCore.Components;
using MudBlazor;
using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Catalog;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Teams;
using Paddock.Portal.Features.Workloads;

namespace Paddock.Portal.Components.Pages.Catalog;

/// <summary>The catalog: its entries as cards with a search, one entry's detail at <c>/catalog/{id}</c>, and the install
/// dialog (parameters → plan → apply → the environment page, where the deployment comes up). Installs go through
/// <see cref="CatalogService"/>, as the API's do.</summary>
public partial class CatalogPage
{
    [Parameter] public string? Id { get; set; }
    /// <summary>With <see cref="Entry"/>: an entry of a git catalog, <c>/catalog/{source}/{entry}</c>.</summary>
    [Parameter] public string? Source { get; set; }
    [Parameter] public string? Entry { get; set; }

    private string? EntryId => Source is not null && Entry is not null ? $"{Source}/{Entry}" : Id;

    private IReadOnlyList<CatalogEntryView> _entries = [];
    private CatalogEntryView? _entry;
    private string? _search;
    private IReadOnlyList<string> _teams = [];

    private bool _installing, _busy;
    private CatalogEntryView? _installEntry;
    private InstallForm _form = new();
    private PlanView? _plan;
    private string? _refusal;

    private IReadOnlyList<(string, string)> Crumbs => EntryId is null ? [("Dashboard", Links.Dashboard)] : [("Dashboard", Links.Dashboard), ("Catalog", Links.Catalog)];

    private IEnumerable<CatalogEntryView> Shown => string.IsNullOrWhiteSpace(_search) ? _entries
        : _entries.Where(e => Matches(e.Name) || Matches(e.Description) || Matches(e.Id) || (e.Source is { } source && Matches(source)));

    private bool Matches(string text) => text.Contains(_search!.Trim(), StringComparison.OrdinalIgnoreCase);

    protected override async Task OnParametersSetAsync()
    {
        _entries = await Services.RunAsync<CatalogService, IReadOnlyList<CatalogEntryView>>((s, _, ct) => s.ListAsync(ct), PageClosed);
        var id = EntryId;
        _entry = id is null ? null : (await Services.RunAsync<CatalogService, Outcome<CatalogEntryView>>((s, _, ct) => s.GetAsync(id, ct), PageClosed)).Value;
        var teams = await Services.RunAsync<TeamService, Outcome<IReadOnlyList<TeamView>>>((s, c, ct) => s.ListAsync(c, ct), PageClosed);
        _teams = teams.Value?.Select(t => t.Name).ToList() ?? [];
    }

    private void OpenInstall(CatalogEntryView entry)
    {
        ClearErrors();
        (_installEntry, _form, _plan, _refusal, _installing) = (entry, InstallForm.For(entry, _teams.Count == 1 ? _teams[0] : null), null, null, true);
    }

    /// <summary>Plans the install (which makes the app and the environment when they do not exist, without deploying):
    /// errors land at their fields, the plan is shown to apply.</summary>
    private async Task PlanAsync()
    {
        var entry = _installEntry!;
        _busy = true;
        try
        {
            var request = _form.Request();
            var attempt = await Services.RunAsync<CatalogService, InstallOutcome>((s, c, ct) => s.InstallAsync(c, entry.Id, request, ct), PageClosed);
            var errors = new FieldErrors();
            foreach (var (field, messages) in attempt.Outcome.Errors ?? new Dictionary<string, string[]>())
                foreach (var message in messages) errors.Add(field, message);
            ShowErrors(errors);
            if (attempt.Outcome.IsOk) { (_plan, _refusal) = (attempt.Outcome.Value!.Plan, null); return; }
            if (attempt.WorkloadErrors is { Count: > 0 } workloadErrors)
                Snackbar.Add($"The workload of {entry.Name} is invalid: " + string.Join(" ", workloadErrors.Select(e => e.ToString())), Severity.Error);
            else if (!errors.Any) Snackbar.Add(attempt.Outcome.Message ?? attempt.Outcome.Kind.ToString(), Severity.Error);
        }
        finally { _busy = false; }
    }

    /// <summary>Applies exactly the plan shown, then goes to the environment page to watch it come up.</summary>
    private async Task ApplyAsync(string[] confirmedDataLoss)
    {
        var plan = _plan!;
        var entry = _installEntry!;
        _busy = true;
        try
        {
            var outcome = await CallAsync<PlanService, DeploymentView>((s, c, ct) => s.ApplyAsync(c, plan.Id,
                new ApplyNote(Message: $"Installs {entry.Name} {entry.Version} from the catalog.", ConfirmDataLoss: confirmedDataLoss), ct), quiet: true);
            if (outcome.IsOk)
            {
                Saved($"Installing {entry.Name}: deployment #{outcome.Value!.Revision} queued.");
                Navigation.NavigateTo(Links.Environment(plan.App, plan.Environment));
                return;
            }
            if (outcome.Kind == OutcomeKind.Conflict) _refusal = outcome.Message;
            else Snackbar.Add(outcome.Message ?? outcome.Kind.ToString(), Severity.Error);
        }
        finally { _busy = false; }
    }
}
