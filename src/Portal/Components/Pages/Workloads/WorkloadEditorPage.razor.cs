using Microsoft.AspNetCore.Components;
using MudBlazor;
using Paddock.Domain.Access;
using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Workloads;

namespace Paddock.Portal.Components.Pages.Workloads;

/// <summary>Edits an environment's workload as a Score file: starts from the exported current revision, plans the text
/// (through <see cref="PlanService"/>, as the API does), shows every error at its line, and applies the plan shown,
/// then goes to the environment page to watch it run.</summary>
public partial class WorkloadEditorPage
{
    [Parameter] public string AppName { get; set; } = "";
    [Parameter] public string EnvName { get; set; } = "";

    private string _text = "", _exported = "";
    private int _revision;
    private bool _stored, _loaded, _missing, _busy;
    private TeamAccess _access;
    private IReadOnlyList<WorkloadErrorView> _errors = [];
    private PlanView? _plan;
    private string? _refusal;

    protected override async Task OnParametersSetAsync()
    {
        var exported = await CallAsync<PlanService, ExportedWorkload>((s, c, ct) => s.ExportAsync(c, AppName, EnvName, asJson: false, ct), quiet: true);
        if (!exported.IsOk)
        {
            _missing = exported.Kind == OutcomeKind.NotFound;
            if (!_missing) Snackbar.Add(exported.Message ?? exported.Kind.ToString(), Severity.Error);
            return;
        }
        (_text, _exported, _revision, _stored) = (exported.Value!.Text, exported.Value.Text, exported.Value.Revision, exported.Value.Stored);
        _access = await Services.RunAsync<AccessQueries, TeamAccess>(async (q, c, ct) => (await q.AppAsync(c.Actor, AppName, ct)).Access, PageClosed);
        _loaded = true;
    }

    private void Reset() => (_text, _errors, _plan, _refusal) = (_exported, [], null, null);

    private async Task PlanAsync()
    {
        _busy = true;
        try
        {
            var attempt = await PlanCalls.RunAsync(Services, (s, c, ct) => s.PlanAsync(c, AppName, EnvName, _text, ct), PageClosed);
            (_errors, _refusal) = (attempt.Errors, null);
            _plan = attempt.Outcome.Value;
            if (!attempt.HasWorkloadErrors && !attempt.Outcome.IsOk)
                Snackbar.Add(attempt.Outcome.Message ?? attempt.Outcome.Kind.ToString(), Severity.Error);
        }
        finally { _busy = false; }
    }

    private async Task ApplyAsync(string[] confirmedDataLoss)
    {
        _busy = true;
        try
        {
            var plan = _plan!;
            var outcome = await CallAsync<PlanService, DeploymentView>((s, c, ct) => s.ApplyAsync(c, plan.Id, new ApplyNote(ConfirmDataLoss: confirmedDataLoss), ct), quiet: true);
            if (outcome.IsOk)
            {
                Saved($"Deployment #{outcome.Value!.Revision} queued: {plan.Summary}");
                Navigation.NavigateTo(Links.Environment(AppName, EnvName));
                return;
            }
            if (outcome.Kind == OutcomeKind.Conflict) _refusal = outcome.Message;
            else Snackbar.Add(outcome.Message ?? outcome.Kind.ToString(), Severity.Error);
        }
        finally { _busy = false; }
    }

    private static string Where(WorkloadErrorView error) => error.Line is { } line ? $"{line}:{error.Column}" : "—";
}
