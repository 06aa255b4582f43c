using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Deployments;

public static class DeploymentsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var perEnvironment = api.MapGroup("/apps/{app}/environments/{env}").WithTags("Deployments");
        perEnvironment.MapPost("/deployments", QueueAsync)
            .WithSummary("Queues a deployment of the environment's current settings (optional image override, tickets, message); answers 202. Honours Idempotency-Key.");
        perEnvironment.MapGet("/deployments", ListAsync).WithSummary("The environment's deployments, newest first; ?page=&pageSize=.");

        var deployments = api.MapGroup("/deployments").WithTags("Deployments");
        deployments.MapGet("/{id:guid}", GetAsync).WithSummary("One deployment: status, snapshot (secrets by name and version), timings.");
        deployments.MapPost("/{id:guid}/cancel", CancelAsync)
            .WithSummary("Cancels a queued deployment at once (200) or asks a running one to stop (202); 409 when it already ended.");
        deployments.MapPost("/{id:guid}/redeploy", RedeployAsync)
            .WithSummary("Deploys this deployment's snapshot again, pinned secret versions included, as a new deployment (a rollback). Body: reason.");
        return api;
    }

    public static async Task<Results<Accepted<DeploymentView>, ProblemHttpResult>> QueueAsync(
        HttpContext http, DeploymentService service, string app, string env, DeployRequest? request, CancellationToken ct)
    {
        var key = http.Request.Headers[IdempotencyKeyHeader].FirstOrDefault();
        var outcome = await service.QueueAsync(http.Caller(), app, env, request ?? new DeployRequest(), key, ct);
        return outcome.IsOk ? TypedResults.Accepted(outcome.Value!.Url, outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<Ok<DeploymentPageView>, ProblemHttpResult>> ListAsync(
        HttpContext http, DeploymentService service, string app, string env, string? page, string? pageSize, CancellationToken ct)
    {
        var paging = Paging.Parse(page, pageSize, DeploymentService.DefaultPageSize, DeploymentService.MaxPageSize);
        if (!paging.IsOk) return paging.ToProblem();
        var outcome = await service.ListAsync(http.Caller(), app, env, paging.Value!, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<Ok<DeploymentView>, ProblemHttpResult>> GetAsync(
        HttpContext http, DeploymentService service, Guid id, CancellationToken ct)
    {
        var outcome = await service.GetAsync(http.Caller(), id, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<Ok<DeploymentView>, Accepted<DeploymentView>, ProblemHttpResult>> CancelAsync(
        HttpContext http, DeploymentService service, Guid id, CancellationToken ct)
    {
        var outcome = await service.CancelAsync(http.Caller(), id, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        var view = outcome.Value!;
        return view.Status == Domain.Deployments.DeploymentStatus.Cancelled ? TypedResults.Ok(view) : TypedResults.Accepted(view.Url, view);
    }

    public static async Task<Results<Accepted<DeploymentView>, ProblemHttpResult>> RedeployAsync(
        HttpContext http, DeploymentService service, Guid id, RedeployRequest? request, CancellationToken ct)
    {
        var outcome = await service.RedeployAsync(http.Caller(), id, request ?? new RedeployRequest(), ct);
        return outcome.IsOk ? TypedResults.Accepted(outcome.Value!.Url, outcome.Value) : outcome.ToProblem();
    }
}
