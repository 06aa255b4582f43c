using Microsoft.AspNetCore.Components;
using Paddock.Domain.Applications;
using Paddock.Domain.Names;
using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Teams;

namespace Paddock.Portal.Components.Pages.Apps;

/// <summary>Creating an application, or editing one (a merge patch of what changed, guarded by its ETag).</summary>
public partial class AppFormPage
{
    [Parameter] public string? AppName { get; set; }
    [SupplyParameterFromQuery(Name = "team")] public string? TeamQuery { get; set; }

    private static readonly HashSet<string> ShownFields = ["name", "team", "image", "port", "replicas", "stopGracePeriodSeconds", "description", "repositoryUrl"];
    private bool IsNew => AppName is null;

    private IReadOnlyList<TeamView> _teams = [];
    private AppView? _loaded;
    private uint? _version;
    private string? _conflict;
    private bool _busy;

    private string? _name, _team, _image, _description, _repositoryUrl;
    private int? _port = 8080, _replicas = 1, _stopGrace;
    private List<VariableRow> _variables = [];
    private List<SecretRow> _secrets = [];
    private readonly RegistryForm _registry = new();

    protected override async Task OnParametersSetAsync()
    {
        if (IsNew)
        {
            _teams = (await CallAsync<TeamService, IReadOnlyList<TeamView>>((s, c, ct) => s.ListAsync(c, ct))).Value ?? [];
            _team ??= TeamQuery ?? (_teams.Count == 1 ? _teams[0].Name : null);
        }
        else await LoadAsync();
    }

    private async Task LoadAsync()
    {
        var outcome = await CallAsync<ApplicationService, Tagged<AppView>>((s, c, ct) => s.GetAsync(c, AppName!, ct));
        if (!outcome.IsOk) return;
        var app = _loaded = outcome.Value!.View;
        _version = ETags.VersionIn(outcome.Value.ETag);
        (_name, _team, _image, _port, _replicas, _description, _repositoryUrl) = (app.Name, app.Team, app.Image, app.Port, app.Replicas, app.Description, app.RepositoryUrl);
        _stopGrace = app.StopGracePeriodSeconds;
        _variables = VariableRow.From(app.Env);
        _secrets = app.Secrets.Select(s => new SecretRow { Name = s.Name, Version = s.Version }).ToList();
        _registry.Load(app.RegistryCredentials);
    }

    private async Task SaveAsync()
    {
        _busy = true;
        try
        {
            var outcome = IsNew ? await CreateAsync() : await UpdateAsync();
            if (outcome.Kind == OutcomeKind.PreconditionFailed)
            {
                _conflict = "Someone changed this application since you opened it. The form now shows their version; apply your change again.";
                await LoadAsync();
                return;
            }
            if (!outcome.IsOk) return;
            Saved(IsNew ? $"Application '{outcome.Value!.View.Name}' created." : "Saved.");
            Navigation.NavigateTo(Links.App(outcome.Value!.View.Name));
        }
        finally { _busy = false; }
    }

    private Task<Outcome<Tagged<AppView>>> CreateAsync() =>
        CallAsync<ApplicationService, Tagged<AppView>>((s, c, ct) => s.CreateAsync(c, new CreateAppRequest(
            _name?.Trim(), _team, _image?.Trim(), _port, _description, OptionalText.OrNull(_repositoryUrl), Env: VariableRow.ToMap(_variables),
            Secrets: SecretRow.Changes(_secrets), Replicas: _replicas, RegistryCredentials: _registry.Entered ? _registry.Request() : null,
            StopGracePeriodSeconds: _stopGrace), ct));

    private Task<Outcome<Tagged<AppView>>> UpdateAsync()
    {
        var before = _loaded!;
        var patch = new AppPatch
        {
            Image = _image?.Trim() != before.Image ? _image?.Trim() : Optional<string?>.Absent,
            Port = _port != before.Port ? _port : Optional<int?>.Absent,
            Replicas = _replicas != before.Replicas ? _replicas : Optional<int?>.Absent,
            StopGracePeriodSeconds = _stopGrace != before.StopGracePeriodSeconds ? _stopGrace : Optional<int?>.Absent,
            Description = (_description ?? "") != before.Description ? _description : Optional<string?>.Absent,
            RepositoryUrl = OptionalText.OrNull(_repositoryUrl) != before.RepositoryUrl ? OptionalText.OrNull(_repositoryUrl) : Optional<string?>.Absent,
            Env = VariableRow.Patch(before.Env, _variables) is { Count: > 0 } env ? env : Optional<Dictionary<string, string?>?>.Absent,
            Secrets = SecretRow.Changes(_secrets) is { Count: > 0 } secrets ? secrets : Optional<Dictionary<string, string?>?>.Absent,
            RegistryCredentials = _registry.Change(before.RegistryCredentials),
        };
        return CallAsync<ApplicationService, Tagged<AppView>>((s, c, ct) => s.UpdateAsync(c, AppName!, patch, _version, ct), quiet: false);
    }
}
