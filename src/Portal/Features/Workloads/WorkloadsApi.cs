using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Deployments;

namespace Paddock.Portal.Features.Workloads;

public static class WorkloadsApi
{
    public const string YamlMediaType = "application/yaml";
    public const string JsonMediaType = "application/json";

    public static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var perEnvironment = api.MapGroup("/apps/{app}/environments/{env}").WithTags("Workloads");
        perEnvironment.MapPost("/plans", PlanAsync)
            .Accepts<string>(YamlMediaType, JsonMediaType, "application/x-yaml", "text/yaml")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Plans a Score workload (the body, YAML or JSON; empty: the current workload again) for the environment: 201 with what " +
                "would change and a summary like terraform's; 422 lists every error with its JSON pointer, line and column.");
        perEnvironment.MapGet("/workload", ExportAsync)
            .Produces<string>(StatusCodes.Status200OK, YamlMediaType, JsonMediaType)
            .WithSummary("Exports the app's current workload as a Score file (Accept: application/yaml, the default, or application/json); " +
                "planning it again changes nothing.");

        var plans = api.MapGroup("/plans").WithTags("Workloads");
        plans.MapGet("/{id:guid}", GetAsync).WithSummary("One plan: its items, summary, text, what it was planned against and whether it can still be applied.");
        plans.MapPost("/{id:guid}/apply", ApplyAsync)
            .WithSummary("Applies exactly the plan as a deployment (202); 409 says what moved when the workload, the environment's settings or " +
                "what runs changed since, or when the plan expired or was applied already.");
        return api;
    }

    public static async Task<Results<Created<PlanView>, ProblemHttpResult>> PlanAsync(
        HttpContext http, PlanService service, string app, string env, CancellationToken ct)
    {
        var (text, problem) = await WorkloadBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        var outcome = await service.PlanAsync(http.Caller(), app, env, text!, ct);
        if (outcome.WorkloadErrors is { } errors) return Unprocessable(errors);
        return outcome.Outcome.IsOk ? TypedResults.Created(outcome.Outcome.Value!.Url, outcome.Outcome.Value) : outcome.Outcome.ToProblem();
    }

    public static async Task<Results<Ok<PlanView>, ProblemHttpResult>> GetAsync(HttpContext http, PlanService service, Guid id, CancellationToken ct)
    {
        var outcome = await service.GetAsync(http.Caller(), id, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<Accepted<DeploymentView>, ProblemHttpResult>> ApplyAsync(
        HttpContext http, PlanService service, Guid id, CancellationToken ct)
    {
        var outcome = await service.ApplyAsync(http.Caller(), id, ct);
        return outcome.IsOk ? TypedResults.Accepted(outcome.Value!.Url, outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> ExportAsync(
        HttpContext http, PlanService service, string app, string env, CancellationToken ct)
    {
        var asJson = http.Request.GetTypedHeaders().Accept is { Count: > 0 } accept
            && accept.OrderByDescending(a => a.Quality ?? 1).FirstOrDefault(a => a.MediaType.Value is YamlMediaType or JsonMediaType) is { } preferred
            && preferred.MediaType.Value == JsonMediaType;
        var outcome = await service.ExportAsync(http.Caller(), app, env, asJson, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers["X-Paddock-Workload-Revision"] = outcome.Value!.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Response.Headers.ETag = $"\"{outcome.Value.ContentHash}\"";
        return TypedResults.Text(outcome.Value.Text, asJson ? JsonMediaType : YamlMediaType);
    }

    /// <summary>422 with the API's usual <c>errors</c> (keyed by JSON pointer, each message with its line and column) and
    /// <c>workloadErrors</c>, the same errors as structured entries for editors.</summary>
    private static ProblemHttpResult Unprocessable(IReadOnlyList<Paddock.Workloads.Source.WorkloadError> errors)
    {
        var views = errors.Select(WorkloadErrorView.Of).ToList();
        var byPointer = views.GroupBy(v => v.Pointer).ToDictionary(
            g => g.Key, g => g.Select(v => v.Line is { } line ? $"Line {line}, column {v.Column}: {v.Message}" : v.Message).ToArray());
        return TypedResults.Problem(new HttpValidationProblemDetails(byPointer)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid workload",
            Detail = $"The workload has {views.Count} error{(views.Count == 1 ? "" : "s")}.",
            Extensions = { ["workloadErrors"] = views },
        });
    }
}
