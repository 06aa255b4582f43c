using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Applications;

public static class ApplicationsApi
{
    public static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var apps = api.MapGroup("/apps").WithTags("Applications");
        apps.MapGet("/", ListAsync).WithSummary("Applications of the teams you can see; ?team= narrows to one team.");
        apps.MapPost("/", CreateAsync).WithSummary("Creates an application in a team you manage.");
        apps.MapGet("/{app}", GetAsync).WithSummary("One application, with an ETag for later changes.");
        apps.MapPatch("/{app}", UpdateAsync).Accepts<JsonElement>("application/merge-patch+json", "application/json")
            .WithSummary("JSON merge patch; secrets: a value adds a version, null removes. Honours If-Match.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        apps.MapDelete("/{app}", DeleteAsync).WithSummary("Retires an application without environments. Honours If-Match.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return api;
    }

    public static async Task<Results<Ok<IReadOnlyList<AppView>>, ProblemHttpResult>> ListAsync(
        HttpContext http, ApplicationService service, string? team, CancellationToken ct)
    {
        var outcome = await service.ListAsync(http.Caller(), team, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<Ok<AppView>, ProblemHttpResult>> GetAsync(
        HttpContext http, ApplicationService service, string app, CancellationToken ct)
    {
        var outcome = await service.GetAsync(http.Caller(), app, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers.ETag = outcome.Value!.ETag;
        return TypedResults.Ok(outcome.Value.View);
    }

    public static async Task<Results<Created<AppView>, ProblemHttpResult>> CreateAsync(
        HttpContext http, ApplicationService service, CreateAppRequest request, CancellationToken ct)
    {
        var outcome = await service.CreateAsync(http.Caller(), request, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers.ETag = outcome.Value!.ETag;
        return TypedResults.Created($"/api/v1/apps/{outcome.Value.View.Name}", outcome.Value.View);
    }

    public static async Task<Results<Ok<AppView>, ProblemHttpResult>> UpdateAsync(
        HttpContext http, ApplicationService service, string app, JsonElement body, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http, out var ifMatch)) return IfMatch.Malformed();
        var errors = new FieldErrors();
        if (MergePatch.Of(body, errors) is not { } json) return errors.ToFailure().ToProblem();
        var patch = AppPatch.Read(json);
        json.RejectUnknownFields();
        if (errors.Any) return errors.ToFailure().ToProblem();

        var outcome = await service.UpdateAsync(http.Caller(), app, patch, ifMatch, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers.ETag = outcome.Value!.ETag;
        return TypedResults.Ok(outcome.Value.View);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        HttpContext http, ApplicationService service, string app, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http, out var ifMatch)) return IfMatch.Malformed();
        var outcome = await service.DeleteAsync(http.Caller(), app, ifMatch, ct);
        return outcome.IsOk ? TypedResults.NoContent() : outcome.ToProblem();
    }
}
