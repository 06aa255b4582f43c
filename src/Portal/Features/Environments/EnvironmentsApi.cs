using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Applications;

namespace Paddock.Portal.Features.Environments;

public static class EnvironmentsApi
{
    public static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var environments = api.MapGroup("/apps/{app}/environments").WithTags("Environments");
        environments.MapGet("/", ListAsync).WithSummary("The application's live environments.");
        environments.MapPost("/", CreateAsync)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Creates an environment on a configured backend and deploys the app's settings to it. copyFrom { environment, " +
                "resources? } seeds its postgres databases with another environment's data; 422 names copyFrom.environment or " +
                "copyFrom.resources when the source or its resource does not exist.");
        environments.MapGet("/{env}", GetAsync).WithSummary("One environment: overrides, effective settings and status, with an ETag.");
        environments.MapPatch("/{env}", UpdateAsync).Accepts<JsonElement>("application/merge-patch+json", "application/json")
            .WithSummary("JSON merge patch of stage and overrides. Honours If-Match.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        environments.MapDelete("/{env}", DeleteAsync).WithSummary("Tears the environment down; answers 202. Honours If-Match.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<EnvironmentView>>, ProblemHttpResult>> ListAsync(
        HttpContext http, EnvironmentService service, string app, CancellationToken ct)
    {
        var outcome = await service.ListAsync(http.Caller(), app, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<Ok<EnvironmentView>, ProblemHttpResult>> GetAsync(
        HttpContext http, EnvironmentService service, string app, string env, CancellationToken ct)
    {
        var outcome = await service.GetAsync(http.Caller(), app, env, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers.ETag = outcome.Value!.ETag;
        return TypedResults.Ok(outcome.Value.View);
    }

    public static async Task<Results<Created<EnvironmentView>, ProblemHttpResult>> CreateAsync(
        HttpContext http, EnvironmentService service, string app, CreateEnvironmentRequest request, CancellationToken ct)
    {
        var outcome = await service.CreateAsync(http.Caller(), app, request, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers.ETag = outcome.Value!.ETag;
        return TypedResults.Created($"/api/v1/apps/{app}/environments/{outcome.Value.View.Name}", outcome.Value.View);
    }

    public static async Task<Results<Ok<EnvironmentView>, ProblemHttpResult>> UpdateAsync(
        HttpContext http, EnvironmentService service, string app, string env, JsonElement body, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http, out var ifMatch)) return IfMatch.Malformed();
        var errors = new FieldErrors();
        if (MergePatch.Of(body, errors) is not { } json) return errors.ToFailure().ToProblem();
        var patch = EnvironmentPatch.Read(json);
        json.RejectUnknownFields();
        if (errors.Any) return errors.ToFailure().ToProblem();

        var outcome = await service.UpdateAsync(http.Caller(), app, env, patch, ifMatch, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers.ETag = outcome.Value!.ETag;
        return TypedResults.Ok(outcome.Value.View);
    }

    public static async Task<Results<Accepted<EnvironmentView>, ProblemHttpResult>> DeleteAsync(
        HttpContext http, EnvironmentService service, string app, string env, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http, out var ifMatch)) return IfMatch.Malformed();
        var outcome = await service.DeleteAsync(http.Caller(), app, env, ifMatch, ct);
        return outcome.IsOk ? TypedResults.Accepted($"/api/v1/apps/{app}/environments/{env}", outcome.Value) : outcome.ToProblem();
    }
}
