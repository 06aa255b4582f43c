using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Audit;

public static class AuditApi
{
    public static async Task<Results<Ok<AuditPageView>, ProblemHttpResult>> ListAsync(
        [AsParameters] AuditFilter filter, string? page, string? pageSize, HttpContext http, AuditTrail trail, CancellationToken ct)
    {
        var paging = Paging.Parse(page, pageSize, AuditTrail.DefaultPageSize, AuditTrail.MaxPageSize);
        if (!paging.IsOk) return paging.ToProblem();
        var outcome = await trail.ListAsync(http.Caller(), filter, paging.Value!, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<Ok<AuditVerificationView>, ProblemHttpResult>> VerifyAsync(
        HttpContext http, AuditTrail trail, CancellationToken ct)
    {
        var outcome = await trail.VerifyAsync(http.Caller(), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }
}
