using Microsoft.AspNetCore.Components;
using MudBlazor;
using Paddock.Domain.Access;
using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Workloads;

namespace Paddock.Portal.Components.Pages.Workloads;

/// <summary>One plan at its stable address: what it changes, whether it can still be applied; applying it goes to the
/// environment page, a refused apply says what moved and offers to plan the same text again.</summary>
public partial class PlanPage
{
    [Parameter] public Guid Id { get; set; }

    private PlanView? _plan;
    private TeamAccess _access;
    private bool _missing, _busy;
    private string? _refusal;

    private IReadOnlyList<(string, string)> Crumbs => _plan is null ? [("Apps", Links.Apps)]
        : [("Apps", Links.Apps), (_plan.App, Links.App(_plan.App)), (_plan.Environment, Links.Environment(_plan.App, _plan.Environment))];

    protected override async Task OnParametersSetAsync()
    {
        var outcome = await CallAsync<PlanService, PlanView>((s, c, ct) => s.GetAsync(c, Id, ct), quiet: true);
        _missing = !outcome.IsOk;
        _plan = outcome.Value;
        if (_plan is not null)
            _access = await Services.RunAsync<AccessQueries, TeamAccess>(async (q, c, ct) => (await q.AppAsync(c.Actor, _plan.App, ct)).Access, PageClosed);
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
                Navigation.NavigateTo(Links.Environment(plan.App, plan.Environment));
                return;
            }
            if (outcome.Kind == OutcomeKind.Conflict) _refusal = outcome.Message;
            else Snackbar.Add(outcome.Message ?? outcome.Kind.ToString(), Severity.Error);
        }
        finally { _busy = false; }
    }

    /// <summary>Plans the same text again; the new plan has its own address.</summary>
    private async Task PlanAgainAsync()
    {
        _busy = true;
        try
        {
            var attempt = await PlanCalls.RunAsync(Services, (s, c, ct) => s.ReplanAsync(c, Id, ct), PageClosed);
            if (attempt.Outcome.IsOk) { _refusal = null; Navigation.NavigateTo(Links.Plan(attempt.Outcome.Value!.Id)); return; }
            var message = attempt.HasWorkloadErrors
                ? "The workload is no longer accepted: " + string.Join(" ", attempt.Errors.Select(e => e.Message)) + " Edit it to plan again."
                : attempt.Outcome.Message ?? attempt.Outcome.Kind.ToString();
            Snackbar.Add(message, Severity.Error);
        }
        finally { _busy = false; }
    }
}
