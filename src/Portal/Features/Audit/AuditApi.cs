using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Audit;

public static class AuditApi
{
    public static async Task<Results<Ok<AuditPageView>, ProblemHttpResult>> ListAsync(
        [AsParameters] AuditFilter filter, HttpContext http, AuditTrail trail, CancellationToken ct)
    {
        var outcome = await trail.ListAsync(http.Caller(), filter, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<Ok<AuditVerificationView>, ProblemHttpResult>> VerifyAsync(
        HttpContext http, AuditTrail trail, CancellationToken ct)
    {
        var outcome = await trail.VerifyAsync(http.Caller(), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }
}
