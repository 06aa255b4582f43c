using Microsoft.AspNetCore.Components;
using Paddock.Domain.Access;
using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Environments;
using Paddock.Portal.Features.Workloads;
using Paddock.Portal.Components.Pages.Workloads;
using MudBlazor;
using Paddock.Portal.Features.Resources;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Catalog;
using Paddock.Portal.Features.Sources;

namespace Paddock.Portal.Components.Pages.Environments;

/// <summary>One environment: its status, deployments, events, logs and overrides, kept current by the environment's
/// event notices. The page loads and acts (through the same services as the API); its components only show.</summary>
public partial class EnvironmentPage
{
    private const int MaxEvents = 200;
    private const int ListedDeployments = 50;

    [Parameter] public string AppName { get; set; } = "";
    [Parameter] public string EnvName { get; set; } = "";
    [Inject] public required EnvironmentEventFeed EventFeed { get; init; }

    private EnvironmentView? _env;
    private uint? _version;
    private TeamAccess _access;
    private bool _missing;
    private IReadOnlyList<DeploymentView> _deployments = [];
    private IReadOnlyList<EnvironmentResourceView> _resources = [];
    private Paddock.Workloads.Model.Workload? _workload;
    private Guid? _workloadOfDeployment;
    private EnvironmentGraphModel? _graph;
    private readonly List<EnvironmentEventView> _events = [];
    private readonly LiveLogs _logs = new();
    private readonly OverridesForm _overrides = new();
    private string? _conflict;

    private bool _deploying, _redeploying, _deleting;
    private DeploymentView? _redeployOf;
    private PlanView? _deployPlan;
    private ApplyNote _deployNote = ApplyNote.None;
    private string? _deployRefusal;
    private bool _deployBusy;
    private InstalledEntryView? _installed;
    private SourceView? _source;
    private bool _upgrading, _upgradeBusy;
    private PlanView? _upgradePlan;
    private string? _upgradeRefusal;

    protected override async Task OnParametersSetAsync()
    {
        await FollowEventsThenLoadAsync(n => n.EnvironmentId == _env?.Id, () => LoadAsync(resetForm: true), () => LoadAsync(resetForm: false));
        if (_env is null) return;
        await ReadLogsAsync();
    }

    private Task LoadAsync(bool resetForm) => OneAtATimeAsync(() => LoadNowAsync(resetForm));

    private async Task LoadNowAsync(bool resetForm)
    {
        // A missing environment is shown as "not found" on the page, not as a toast.
        var env = await CallAsync<EnvironmentService, Tagged<EnvironmentView>>((s, c, ct) => s.GetAsync(c, AppName, EnvName, ct), quiet: true);
        if (!env.IsOk)
        {
            if (_env is not null && env.Kind == OutcomeKind.NotFound) Navigation.NavigateTo(Links.App(AppName));
            _missing = _env is null && env.Kind == OutcomeKind.NotFound;
            return;
        }
        _env = env.Value!.View;
        _version = ETags.VersionIn(env.Value.ETag);
        _access = await Services.RunAsync<AccessQueries, TeamAccess>(async (q, c, ct) => (await q.AppAsync(c.Actor, AppName, ct)).Access, PageClosed);
        var history = await Services.RunAsync<DeploymentService, Outcome<DeploymentPageView>>(
            (s, c, ct) => s.ListAsync(c, AppName, EnvName, new Paging(1, ListedDeployments), ct), PageClosed);
        _deployments = history.Value?.Items ?? [];
        var resources = await Services.RunAsync<EnvironmentResources, Outcome<IReadOnlyList<EnvironmentResourceView>>>(
            (s, c, ct) => s.ListAsync(c, AppName, EnvName, ct), PageClosed);
        _resources = resources.Value ?? [];
        await LoadGraphAsync();
        var installed = await Services.RunAsync<CatalogService, Outcome<IReadOnlyList<InstalledEntryView>>>((s, c, ct) => s.InstalledAsync(c, AppName, ct), PageClosed);
        _installed = installed.Value?.FirstOrDefault(i => i.Environment == EnvName);
        var source = await Services.RunAsync<GitSourceService, Outcome<SourceView>>((s, c, ct) => s.GetAsync(c, AppName, EnvName, ct), PageClosed);
        _source = source.Value;
        var after = _events.Count == 0 ? 0 : _events[^1].Sequence;
        _events.AddRange(await EventFeed.ReadAsync(_env.Id, after, MaxEvents, PageClosed));
        if (_events.Count > MaxEvents) _events.RemoveRange(0, _events.Count - MaxEvents);
        if (resetForm) _overrides.Load(_env.Overrides);
    }

    /// <summary>The graph of what runs: the workload is read again only when another deployment became current.</summary>
    private async Task LoadGraphAsync()
    {
        var env = _env!;
        if (_workload is null || _workloadOfDeployment != env.CurrentDeploymentId)
        {
            _workload = await Services.RunAsync(async (sp, caller, ct) =>
            {
                var exported = await sp.GetRequiredService<PlanService>().ExportAsync(caller, AppName, EnvName, asJson: false, ct);
                return exported.IsOk ? sp.GetRequiredService<WorkloadRevisions>().Parse(exported.Value!.Text) : null;
            }, PageClosed);
            _workloadOfDeployment = env.CurrentDeploymentId;
        }
        _graph = EnvironmentGraph.Of(env.Url, env.Status, env.Health, env.StatusReason, _workload, _resources, AppName);
    }

    /// <summary>Plans the upgrade to the catalog's newer version: the install again into this environment, its
    /// parameters as they were (the app's team named, as an install names it).</summary>
    private async Task PlanUpgradeAsync()
    {
        var installed = _installed!;
        (_upgrading, _upgradePlan, _upgradeRefusal, _upgradeBusy) = (true, null, null, true);
        try
        {
            var attempt = await Services.RunAsync(async (sp, caller, ct) =>
            {
                var app = await sp.GetRequiredService<ApplicationService>().GetAsync(caller, AppName, ct);
                if (!app.IsOk) return new InstallOutcome(new Outcome<InstallResult>(app.Kind, null, app.Message, app.Errors));
                return await sp.GetRequiredService<CatalogService>().InstallAsync(caller, installed.Entry, new InstallRequest(app.Value!.View.Team, AppName, EnvName), ct);
            }, PageClosed);
            if (attempt.Outcome.IsOk) { _upgradePlan = attempt.Outcome.Value!.Plan; return; }
            _upgrading = false;
            var why = attempt.WorkloadErrors is { Count: > 0 } errors ? string.Join(" ", errors.Select(e => e.ToString()))
                : attempt.Outcome.Errors is { Count: > 0 } fields ? string.Join(" ", fields.SelectMany(f => f.Value.Select(m => $"{f.Key}: {m}")))
                : attempt.Outcome.Message ?? attempt.Outcome.Kind.ToString();
            Snackbar.Add($"The upgrade cannot be planned: {why}", Severity.Error);
        }
        finally { _upgradeBusy = false; }
    }

    private async Task ApplyUpgradeAsync(string[] confirmedDataLoss)
    {
        var (plan, installed) = (_upgradePlan!, _installed!);
        _upgradeBusy = true;
        try
        {
            var outcome = await CallAsync<PlanService, DeploymentView>((s, c, ct) => s.ApplyAsync(c, plan.Id,
                new ApplyNote(Message: $"Upgrades {installed.Entry} {installed.Version} to {installed.UpgradeTo} from the catalog.", ConfirmDataLoss: confirmedDataLoss), ct), quiet: true);
            if (outcome.Kind == OutcomeKind.Conflict) { _upgradeRefusal = outcome.Message; return; }
            if (!outcome.IsOk) { Snackbar.Add(outcome.Message ?? outcome.Kind.ToString(), Severity.Error); return; }
            (_upgrading, _upgradePlan) = (false, null);
            Saved($"Deployment #{outcome.Value!.Revision} queued: upgrade to {installed.Entry} {installed.UpgradeTo}.");
        }
        finally { _upgradeBusy = false; }
        await LoadAsync(resetForm: false);
    }

    private async Task SaveOverridesAsync()
    {
        var patch = _overrides.Patch(_env!.Overrides);
        var outcome = await CallAsync<EnvironmentService, Tagged<EnvironmentView>>((s, c, ct) => s.UpdateAsync(c, AppName, EnvName, patch, _version, ct));
        if (outcome.Kind == OutcomeKind.PreconditionFailed)
        {
            _conflict = "Someone changed this environment since you opened it. The form now shows their version; apply your change again.";
            await LoadAsync(resetForm: true);
            return;
        }
        if (!outcome.IsOk) return;
        _conflict = null;
        Saved("Overrides saved.");
        await LoadAsync(resetForm: true);
    }

    /// <summary>The resource policy select: "default" returns to the stage's default.</summary>
    private async Task SaveResourcePolicyAsync(string policy)
    {
        var patch = new EnvironmentPatch { ResourcePolicy = new Optional<string?>(true, policy == "default" ? null : policy) };
        var outcome = await CallAsync<EnvironmentService, Tagged<EnvironmentView>>((s, c, ct) => s.UpdateAsync(c, AppName, EnvName, patch, null, ct));
        if (!outcome.IsOk) return;
        Saved("Resource policy saved.");
        await LoadAsync(resetForm: false);
    }

    /// <summary>A secret output's value for the Resources tab, through the same audited path as the API.</summary>
    private async Task<string?> RevealOutputAsync(string resource, string output)
    {
        var outcome = await CallAsync<ResourceOutputReveals, RevealedOutputView>((s, c, ct) => s.RevealAsync(c, AppName, EnvName, resource, output, ct));
        return outcome.Value?.Value;
    }

    private void OpenDeploy()
    {
        ClearErrors();
        (_deployPlan, _deployRefusal, _deploying) = (null, null, true);
    }

    /// <summary>"Deploy now": plans the environment's current workload in this same call (with another image typed, that
    /// image as the environment's own) and shows the plan to confirm.</summary>
    private async Task DeployAsync(DeployRequest request)
    {
        var note = new ApplyNote(request.Tickets, request.Message);
        var errors = new FieldErrors();
        note.Validate(errors);
        if (errors.Any)
        {
            ShowErrors(errors);
            return;
        }
        _deployBusy = true;
        try
        {
            var attempt = await PlanCalls.RunAsync(Services, (s, c, ct) => s.PlanAsync(c, AppName, EnvName, "", request.Image, ct), PageClosed);
            // The typed image's errors show at the dialog's Image field.
            var fieldErrors = new FieldErrors();
            foreach (var (field, messages) in attempt.Outcome.Errors ?? new Dictionary<string, string[]>())
                foreach (var message in messages) fieldErrors.Add(field, message);
            ShowErrors(fieldErrors);
            if (attempt.Outcome.IsOk) (_deployPlan, _deployNote, _deployRefusal) = (attempt.Outcome.Value, note, null);
            else if (attempt.HasWorkloadErrors)
                Snackbar.Add("The environment's workload is invalid; fix it in the workload editor: " +
                    string.Join(" ", attempt.Errors.Select(e => $"{e.Pointer}: {e.Message}")), Severity.Error);
            else Snackbar.Add(attempt.Outcome.Message ?? attempt.Outcome.Kind.ToString(), Severity.Error);
        }
        finally { _deployBusy = false; }
    }

    /// <summary>Applies exactly the plan the dialog shows; a stale plan is refused and shown with a way to plan again.</summary>
    private async Task ConfirmDeployAsync()
    {
        var plan = _deployPlan!;
        _deployBusy = true;
        try
        {
            var outcome = await CallAsync<PlanService, DeploymentView>((s, c, ct) => s.ApplyAsync(c, plan.Id, _deployNote, ct), quiet: true);
            if (outcome.Kind == OutcomeKind.Conflict) { _deployRefusal = outcome.Message; return; }
            if (!outcome.IsOk) { Snackbar.Add(outcome.Message ?? outcome.Kind.ToString(), Severity.Error); return; }
            (_deploying, _deployPlan) = (false, null);
            Saved($"Deployment #{outcome.Value!.Revision} queued: {plan.Summary}");
        }
        finally { _deployBusy = false; }
        await LoadAsync(resetForm: false);
    }

    private void OpenRedeploy(DeploymentView deployment)
    {
        ClearErrors();
        (_redeployOf, _redeploying) = (deployment, true);
    }

    private async Task RedeployAsync(RedeployRequest request)
    {
        var earlier = _redeployOf!;
        var outcome = await CallAsync<DeploymentService, DeploymentView>((s, c, ct) => s.RedeployAsync(c, earlier.Id, request, ct));
        if (!outcome.IsOk) return;
        _redeploying = false;
        Saved($"Deployment #{outcome.Value!.Revision} queued (redeploy of #{earlier.Revision}).");
        await LoadAsync(resetForm: false);
    }

    private async Task CancelAsync(Guid id)
    {
        var outcome = await CallAsync<DeploymentService, DeploymentView>((s, c, ct) => s.CancelAsync(c, id, ct));
        if (outcome.IsOk) Saved($"Cancellation of #{outcome.Value!.Revision} requested.");
        await LoadAsync(resetForm: false);
    }

    private async Task DeleteAsync()
    {
        // The typed name is the confirmation. No version check: the workers write the environment's row as they observe
        // it (health, retirements), and what they saw a moment ago must not refuse a delete the user confirmed.
        var outcome = await CallAsync<EnvironmentService, EnvironmentView>((s, c, ct) => s.DeleteAsync(c, AppName, EnvName, ifMatch: null, ct));
        if (!outcome.IsOk) return;
        _deleting = false;
        Saved($"Environment '{EnvName}' is being deleted.");
        await LoadAsync(resetForm: false);
    }

    /// <summary>Reads the last lines again, and keeps reading new ones while Follow logs is on.</summary>
    private async Task ReadLogsAsync()
    {
        _logs.Stop();
        var opened = await Services.RunAsync<EnvironmentLogs, Outcome<LogSource>>((s, c, ct) => s.OpenAsync(c, AppName, EnvName, ct), PageClosed);
        _logs.Start(opened, change => InvokeAsync(() => { change(); StateHasChanged(); }), PageClosed);
    }

    private async Task SetFollowAsync(bool follow)
    {
        _logs.Follow = follow;
        await ReadLogsAsync();
    }

    public override void Dispose()
    {
        _logs.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
