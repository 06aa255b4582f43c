using Paddock.Domain.Access;
using Paddock.Domain.Deployments;
using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Environments;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Paddock.Portal.Components.Pages.Environments;

public partial class EnvironmentPage
{
    private const int MaxEvents = 200;
    private const int LogTail = 200;
    private const int MaxLogLines = 2000;

    [Parameter] public string AppName { get; set; } = "";
    [Parameter] public string EnvName { get; set; } = "";
    [Inject] public required EnvironmentEventFeed EventFeed { get; init; }

    private EnvironmentView? _env;
    private uint? _version;
    private TeamAccess _access;
    private IReadOnlyList<DeploymentView> _deployments = [];
    private readonly List<EnvironmentEventView> _events = [];
    private readonly List<LogLineView> _logs = [];
    private string? _logsUnavailable;
    private bool _missing;
    private bool _follow;
    private CancellationTokenSource? _following;

    private string? _imageOverride, _conflict;
    private int? _replicasOverride;
    private int? _stopGraceOverride;
    private List<VariableRow> _variableOverrides = [];
    private List<SecretRow> _secretOverrides = [];
    private readonly RegistryForm _registryOverride = new();

    private bool _deploying, _redeploying, _deleting;
    private string? _deployImage, _deployTickets, _deployMessage, _redeployReason, _confirmName;
    private DeploymentView? _redeployOf;

    protected override async Task OnParametersSetAsync()
    {
        await LoadAsync(resetForm: true);
        if (_env is null) return;
        FollowEvents(n => n.EnvironmentId == _env?.Id, () => LoadAsync(resetForm: false));
        await ReadLogsAsync();
    }

    private async Task LoadAsync(bool resetForm)
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
        ETags.TryParse(env.Value.ETag, out _version);
        _access = await Services.RunAsync<AccessQueries, TeamAccess>(async (q, c, ct) => (await q.AppAsync(c.Actor, AppName, ct)).Access, PageClosed);
        _deployments = (await Services.RunAsync<DeploymentService, Outcome<DeploymentPageView>>((s, c, ct) => s.ListAsync(c, AppName, EnvName, null, "50", ct), PageClosed)).Value?.Items ?? [];
        var after = _events.Count == 0 ? 0 : _events[^1].Sequence;
        _events.AddRange(await EventFeed.ReadAsync(_env.Id, after, MaxEvents, PageClosed));
        if (_events.Count > MaxEvents) _events.RemoveRange(0, _events.Count - MaxEvents);
        if (resetForm) ResetOverrides();
    }

    private void ResetOverrides()
    {
        var overrides = _env!.Overrides;
        _imageOverride = overrides.Image;
        _replicasOverride = overrides.Replicas;
        _stopGraceOverride = overrides.StopGracePeriodSeconds;
        _variableOverrides = VariableRow.From(overrides.Env);
        _secretOverrides = overrides.Secrets.Select(s => new SecretRow { Name = s.Name, Version = s.Version }).ToList();
        _registryOverride.Load(overrides.RegistryCredentials);
    }

    /// <summary>Where this environment's images are pulled with, when it has no login of its own.</summary>
    private string RegistryIntro =>
        _env!.Overrides.RegistryCredentials is { } own ? $"This environment pulls its images as {own.Username} from {own.Server}, its own login."
        : _env.Effective.RegistryCredentials is { } inherited ? $"This environment uses the application's registry login ({inherited.Username} at {inherited.Server}); set one here to use another."
        : "Neither the application nor this environment has a registry login; set one here when this environment's image needs it.";

    private async Task SaveOverridesAsync()
    {
        var before = _env!.Overrides;
        var image = string.IsNullOrWhiteSpace(_imageOverride) ? null : _imageOverride.Trim();
        var patch = new EnvironmentPatch
        {
            Image = image != before.Image ? image : Optional<string?>.Absent,
            Replicas = _replicasOverride != before.Replicas ? _replicasOverride : Optional<int?>.Absent,
            StopGracePeriodSeconds = _stopGraceOverride != before.StopGracePeriodSeconds ? _stopGraceOverride : Optional<int?>.Absent,
            Env = VariableRow.Patch(before.Env, _variableOverrides) is { Count: > 0 } env ? env : Optional<Dictionary<string, string?>?>.Absent,
            Secrets = SecretRow.Changes(_secretOverrides) is { Count: > 0 } secrets ? secrets : Optional<Dictionary<string, string?>?>.Absent,
            RegistryCredentials = _registryOverride.Change(before.RegistryCredentials),
        };
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

    private string DeployImageHint =>
        $"Empty: deploy {_env?.Effective.Image}, the environment's image. Another image becomes the environment's image (recorded in the audit trail).";

    private void OpenDeploy()
    {
        ClearErrors();
        (_deployImage, _deployTickets, _deployMessage) = (null, null, null);
        _deploying = true;
    }

    private async Task DeployAsync()
    {
        var tickets = (_deployTickets ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var request = new DeployRequest(string.IsNullOrWhiteSpace(_deployImage) ? null : _deployImage.Trim(), tickets.Length == 0 ? null : tickets,
            string.IsNullOrWhiteSpace(_deployMessage) ? null : _deployMessage);
        var outcome = await CallAsync<DeploymentService, DeploymentView>((s, c, ct) => s.QueueAsync(c, AppName, EnvName, request, null, ct));
        if (!outcome.IsOk) return;
        _deploying = false;
        Saved($"Deployment #{outcome.Value!.Revision} queued.");
        await LoadAsync(resetForm: false);
    }

    private void OpenRedeploy(DeploymentView deployment)
    {
        ClearErrors();
        (_redeployOf, _redeployReason, _redeploying) = (deployment, null, true);
    }

    private async Task RedeployAsync()
    {
        var id = _redeployOf!.Id;
        var outcome = await CallAsync<DeploymentService, DeploymentView>((s, c, ct) => s.RedeployAsync(c, id, new RedeployRequest(_redeployReason), ct));
        if (!outcome.IsOk) return;
        _redeploying = false;
        Saved($"Deployment #{outcome.Value!.Revision} queued (redeploy of #{_redeployOf.Revision}).");
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
        var outcome = await CallAsync<EnvironmentService, EnvironmentView>((s, c, ct) => s.DeleteAsync(c, AppName, EnvName, _version, ct));
        if (outcome.Kind == OutcomeKind.PreconditionFailed) await LoadAsync(resetForm: true);
        if (!outcome.IsOk) return;
        _deleting = false;
        Saved($"Environment '{EnvName}' is being deleted.");
        await LoadAsync(resetForm: false);
    }

    private async Task ReadLogsAsync()
    {
        StopFollowing();
        var source = await Services.RunAsync<EnvironmentLogs, Outcome<LogSource>>((s, c, ct) => s.OpenAsync(c, AppName, EnvName, ct), PageClosed);
        if (!source.IsOk) { _logsUnavailable = source.Message; return; }
        _logsUnavailable = source.Value!.UnavailableReason;
        if (source.Value.IsEmpty || _logsUnavailable is not null) return;
        _logs.Clear();
        var following = _following = CancellationTokenSource.CreateLinkedTokenSource(PageClosed);
        var follow = _follow;
        // Read off the render thread; each line is pushed with InvokeAsync.
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var line in source.Value.ReadAsync(LogTail, follow, following.Token))
                {
                    await InvokeAsync(() =>
                    {
                        _logs.Add(line);
                        if (_logs.Count > MaxLogLines) _logs.RemoveRange(0, _logs.Count - MaxLogLines);
                        StateHasChanged();
                    });
                }
            }
            catch (OperationCanceledException) { }
            catch (Exception e) when (!following.IsCancellationRequested)
            {
                await InvokeAsync(() => { _logsUnavailable = e.Message; StateHasChanged(); });
            }
        });
    }

    private async Task SetFollowAsync(bool follow)
    {
        _follow = follow;
        await ReadLogsAsync();
    }

    private void StopFollowing()
    {
        _following?.Cancel();
        _following = null;
    }

    public override void Dispose()
    {
        StopFollowing();
        base.Dispose();
    }
}
