using Paddock.Portal.Api;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Workloads;

namespace Paddock.Portal.Components.Pages.Workloads;

/// <summary>A plan made from a page: the plan, or a failure, or the workload's errors (each at its place).</summary>
public sealed record PlanAttempt(Outcome<PlanView> Outcome, IReadOnlyList<WorkloadErrorView> Errors)
{
    public bool HasWorkloadErrors => Errors.Count > 0;
}

public static class PlanCalls
{
    /// <summary>Runs a planning call of <see cref="PlanService"/> in its own scope, as the circuit's user.</summary>
    public static async Task<PlanAttempt> RunAsync(
        CircuitServices services, Func<PlanService, Caller, CancellationToken, Task<PlanOutcome>> plan, CancellationToken ct)
    {
        var outcome = await services.RunAsync(plan, ct);
        return new PlanAttempt(outcome.Outcome, outcome.WorkloadErrors?.Select(WorkloadErrorView.Of).ToList() ?? []);
    }
}
