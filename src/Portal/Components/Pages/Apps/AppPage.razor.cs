using Microsoft.AspNetCore.Components;
using MudBlazor;
using Paddock.Domain.Access;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;
using Paddock.Portal.Api;
using Paddock.Portal.Components.Pages.Dashboard;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Catalog;
using Paddock.Portal.Features.Environments;

namespace Paddock.Portal.Components.Pages.Apps;

/// <summary>One application: its settings, its environments with their last deployment (kept current by their event
/// notices), and the dialog that creates an environment.</summary>
public partial class AppPage
{
    [Parameter] public string AppName { get; set; } = "";
    [Inject] public required Paddock.Runtime.Backends.BackendRegistry Backends { get; init; }
    [Inject] public required IDialogService Dialogs { get; init; }

    private sealed class NewEnvironment
    {
        public string? Name { get; set; }
        public Stage Stage { get; set; } = Stage.Development;
        public string? Backend { get; set; }
        public string? Image { get; set; }
        public int? Replicas { get; set; }
        public List<VariableRow> Variables { get; set; } = [];
        /// <summary>The environment whose data the new one's databases start with (the API's <c>copyFrom</c>); null for none.</summary>
        public string? CopyFrom { get; set; }
    }

    private AppView? _app;
    private uint? _version;
    private TeamAccess _access;
    private List<EnvironmentView> _environments = [];
    private Dictionary<Guid, LastDeployment> _last = [];
    /// <summary>What each environment runs from the catalog, by environment name.</summary>
    private Dictionary<string, InstalledEntryView> _installed = [];
    private IReadOnlyList<string> _backends = [];
    private bool _missing;
    private bool _creating, _busy;
    private NewEnvironment _new = new();

    protected override async Task OnParametersSetAsync()
    {
        _backends = Backends.Names;
        await FollowEventsThenLoadAsync(n => _environments.Any(e => e.Id == n.EnvironmentId), LoadAsync, LoadEnvironmentsAsync);
    }

    private async Task LoadAsync()
    {
        var app = await CallAsync<ApplicationService, Tagged<AppView>>((s, c, ct) => s.GetAsync(c, AppName, ct), quiet: true);
        _missing = app.Kind == OutcomeKind.NotFound;
        if (!app.IsOk) { _app = null; if (!_missing) Snackbar.Add(app.Message ?? app.Kind.ToString(), Severity.Error); return; }
        _app = app.Value!.View;
        _version = ETags.VersionIn(app.Value.ETag);
        _access = await Services.RunAsync<AccessQueries, TeamAccess>(async (q, c, ct) => (await q.AppAsync(c.Actor, AppName, ct)).Access, PageClosed);
        await LoadEnvironmentsAsync();
    }

    private Task LoadEnvironmentsAsync() => OneAtATimeAsync(LoadEnvironmentsNowAsync);

    private async Task LoadEnvironmentsNowAsync()
    {
        var (environments, last, installed) = await Services.RunAsync(async (sp, caller, ct) =>
        {
            var list = await sp.GetRequiredService<EnvironmentService>().ListAsync(caller, AppName, ct);
            var envs = list.Value?.ToList() ?? [];
            var db = sp.GetRequiredService<Paddock.Persistence.PaddockDbContext>();
            var lastDeployments = await DashboardQueries.LastDeploymentsAsync(db, envs.Select(e => e.Id).ToList(), ct);
            var fromCatalog = await sp.GetRequiredService<CatalogService>().InstalledAsync(caller, AppName, ct);
            return (envs, lastDeployments, fromCatalog.Value ?? []);
        }, PageClosed);
        _environments = environments;
        _last = last;
        _installed = installed.ToDictionary(i => i.Environment, StringComparer.Ordinal);
    }

    private void OpenCreate()
    {
        ClearErrors();
        _new = new NewEnvironment { Backend = _backends.Count > 0 ? _backends[0] : null };
        _creating = true;
    }

    private async Task CreateAsync()
    {
        _busy = true;
        try
        {
            var request = new CreateEnvironmentRequest(_new.Name?.Trim(), _new.Stage.ToString(), _new.Backend,
                string.IsNullOrWhiteSpace(_new.Image) ? null : _new.Image.Trim(), _new.Replicas, Env: VariableRow.ToMap(_new.Variables),
                CopyFrom: string.IsNullOrEmpty(_new.CopyFrom) ? null : new CopyFromRequest(_new.CopyFrom));
            var outcome = await CallAsync<EnvironmentService, Tagged<EnvironmentView>>((s, c, ct) => s.CreateAsync(c, AppName, request, ct));
            if (!outcome.IsOk) return;
            // Shown at once from the service's answer; later changes arrive through the event source.
            _environments = [.. _environments.Where(e => e.Id != outcome.Value!.View.Id), outcome.Value!.View];
            _environments.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            FollowEvents(n => _environments.Any(e => e.Id == n.EnvironmentId), LoadEnvironmentsAsync);
            _creating = false;
            Saved($"Environment '{outcome.Value.View.Name}' created.");
        }
        finally { _busy = false; }
    }

    private async Task DeleteAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete application", $"Delete application '{AppName}'? Its environments must be deleted first.", yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true) return;
        var outcome = await CallAsync<ApplicationService, AppView>((s, c, ct) => s.DeleteAsync(c, AppName, _version, ct));
        if (!outcome.IsOk) return;
        Saved($"Application '{AppName}' deleted.");
        Navigation.NavigateTo(Links.Apps);
    }
}
