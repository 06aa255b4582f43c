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
                "would change, the digest each image runs and a summary like terraform's; 422 lists every error with its JSON pointer, line and " +
                "column. ?image= makes that image the environment's own when the plan is applied.");
        perEnvironment.MapGet("/workload", ExportAsync)
            .Produces<string>(StatusCodes.Status200OK, YamlMediaType, JsonMediaType)
            .WithSummary("Exports the workload revision the environment runs as a Score file (Accept: application/yaml, the default, or " +
                "application/json); with its override (Link rel=override) it reproduces the environment, and planning both again changes nothing.");

        perEnvironment.MapGet("/workload/override", GetOverrideAsync)
            .Produces<string>(StatusCodes.Status200OK, YamlMediaType, JsonMediaType)
            .WithSummary("The environment's own override as a file (replicas; the container's image and variables; no secrets), with the " +
                "environment's ETag; with the exported workload it reproduces the environment.");
        perEnvironment.MapPut("/workload/override", PutOverrideAsync)
            .Accepts<string>(YamlMediaType, JsonMediaType, "application/x-yaml", "text/yaml")
            .Produces<string>(StatusCodes.Status200OK, YamlMediaType, JsonMediaType)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithSummary("Replaces the environment's image, replicas and variables with the override file's (If-Match honoured); the next plan " +
                "shows the change and a deployment applies it. 422 lists every error with its JSON pointer, line and column.");

        var revisions = api.MapGroup("/apps/{app}/workload/revisions").WithTags("Workloads");
        revisions.MapGet("", ListRevisionsAsync).WithSummary("The app's workload revisions, newest first (who, when, origin, content hash); ?page=&pageSize=.");
        revisions.MapGet("/{revision:int}", GetRevisionAsync)
            .Produces<RevisionView>(StatusCodes.Status200OK, JsonMediaType)
            .Produces<string>(StatusCodes.Status200OK, YamlMediaType)
            .WithSummary("One workload revision with its text as submitted; Accept: application/yaml answers the text alone.");
        revisions.MapGet("/{from:int}/diff/{to:int}", DiffRevisionsAsync)
            .WithSummary("What changes from one revision to another: the planner's items, the plan text and a unified diff of the two texts.");

        var plans = api.MapGroup("/plans").WithTags("Workloads");
        plans.MapGet("/{id:guid}", GetAsync).WithSummary("One plan: its items, summary, text, what it was planned against and whether it can still be applied.");
        plans.MapPost("/{id:guid}/apply", ApplyAsync)
            .Accepts<ApplyNote>(JsonMediaType)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Applies exactly the plan as a deployment (202); 409 says what moved when the workload, the environment's settings or " +
                "what runs changed since, or when the plan expired or was applied already. The optional body { tickets, message, confirmDataLoss } " +
                "goes with the deployment; a plan that deletes or replaces a stateful resource (postgres, redis, volume) is refused with 422 " +
                "naming them until confirmDataLoss lists each one's name.");
        return api;
    }

    public static async Task<Results<Created<PlanView>, ProblemHttpResult>> PlanAsync(
        HttpContext http, PlanService service, string app, string env, string? image, CancellationToken ct)
    {
        var (text, problem) = await WorkloadBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        var outcome = await service.PlanAsync(http.Caller(), app, env, text!, image, ct);
        if (outcome.WorkloadErrors is { } errors) return Unprocessable(errors);
        return outcome.Outcome.IsOk ? TypedResults.Created(outcome.Outcome.Value!.Url, outcome.Outcome.Value) : outcome.Outcome.ToProblem();
    }

    public static async Task<Results<Ok<PlanView>, ProblemHttpResult>> GetAsync(HttpContext http, PlanService service, Guid id, CancellationToken ct)
    {
        var outcome = await service.GetAsync(http.Caller(), id, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<Accepted<DeploymentView>, ProblemHttpResult>> ApplyAsync(
        HttpContext http, PlanService service, Guid id, [FromBody] ApplyNote? note, CancellationToken ct)
    {
        var outcome = await service.ApplyAsync(http.Caller(), id, note ?? ApplyNote.None, ct);
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
        http.Response.Headers.Link = $"</api/v1/apps/{app}/environments/{env}/workload/override>; rel=\"override\"";
        return TypedResults.Text(outcome.Value.Text, asJson ? JsonMediaType : YamlMediaType);
    }

    public static async Task<Results<Ok<RevisionPageView>, ProblemHttpResult>> ListRevisionsAsync(
        HttpContext http, RevisionHistory history, string app, string? page, string? pageSize, CancellationToken ct)
    {
        var paging = Paging.Parse(page, pageSize, RevisionHistory.DefaultPageSize, RevisionHistory.MaxPageSize);
        if (!paging.IsOk) return paging.ToProblem();
        var outcome = await history.ListAsync(http.Caller(), app, paging.Value!, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<Ok<RevisionView>, ContentHttpResult, ProblemHttpResult>> GetRevisionAsync(
        HttpContext http, RevisionHistory history, string app, int revision, CancellationToken ct)
    {
        var outcome = await history.GetAsync(http.Caller(), app, revision, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers.ETag = $"\"{outcome.Value!.ContentHash}\"";
        return PrefersYaml(http.Request) ? TypedResults.Text(outcome.Value.Text, YamlMediaType) : TypedResults.Ok(outcome.Value);
    }

    public static async Task<Results<Ok<RevisionDiffView>, ProblemHttpResult>> DiffRevisionsAsync(
        HttpContext http, RevisionHistory history, string app, int from, int to, CancellationToken ct)
    {
        var outcome = await history.DiffAsync(http.Caller(), app, from, to, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> GetOverrideAsync(
        HttpContext http, OverrideService overrides, string app, string env, CancellationToken ct)
    {
        var asJson = PrefersJson(http.Request);
        var outcome = await overrides.GetAsync(http.Caller(), app, env, asJson, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers.ETag = outcome.Value!.ETag;
        return TypedResults.Text(outcome.Value.Text, asJson ? JsonMediaType : YamlMediaType);
    }

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> PutOverrideAsync(
        HttpContext http, OverrideService overrides, string app, string env, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http, out var ifMatch)) return IfMatch.Malformed();
        var (text, problem) = await WorkloadBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        var asJson = PrefersJson(http.Request);
        var outcome = await overrides.PutAsync(http.Caller(), app, env, text!, ifMatch, asJson, ct);
        if (outcome.WorkloadErrors is { } errors) return Unprocessable(errors, "Invalid override");
        if (!outcome.Outcome.IsOk) return outcome.Outcome.ToProblem();
        http.Response.Headers.ETag = outcome.Outcome.Value!.ETag;
        return TypedResults.Text(outcome.Outcome.Value.Text, asJson ? JsonMediaType : YamlMediaType);
    }

    /// <summary>Whether the caller asks for JSON before YAML (files answer YAML unless asked).</summary>
    private static bool PrefersJson(HttpRequest request) =>
        request.GetTypedHeaders().Accept is { Count: > 0 } accept
        && accept.OrderByDescending(a => a.Quality ?? 1).FirstOrDefault(a => a.MediaType.Value is YamlMediaType or JsonMediaType) is { } preferred
        && preferred.MediaType.Value == JsonMediaType;

    /// <summary>Whether the caller's Accept header prefers YAML to JSON (no Accept, or neither: JSON, the API's default).</summary>
    private static bool PrefersYaml(HttpRequest request) =>
        request.GetTypedHeaders().Accept is { Count: > 0 } accept
        && accept.OrderByDescending(a => a.Quality ?? 1)
            .FirstOrDefault(a => a.MediaType.Value is YamlMediaType or JsonMediaType or "application/x-yaml" or "text/yaml") is { } preferred
        && preferred.MediaType.Value != JsonMediaType;

    /// <summary>422 with the API's usual <c>errors</c> (keyed by JSON pointer, each message with its line and column) and
    /// <c>workloadErrors</c>, the same errors as structured entries for editors.</summary>
    internal static ProblemHttpResult Unprocessable(IReadOnlyList<Paddock.Workloads.Source.WorkloadError> errors, string title = "Invalid workload")
    {
        var views = errors.Select(WorkloadErrorView.Of).ToList();
        var byPointer = views.GroupBy(v => v.Pointer).ToDictionary(
            g => g.Key, g => g.Select(v => v.Line is { } line ? $"Line {line}, column {v.Column}: {v.Message}" : v.Message).ToArray());
        return TypedResults.Problem(new HttpValidationProblemDetails(byPointer)
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = title,
            Detail = $"The {(title == "Invalid workload" ? "workload" : "override")} has {views.Count} error{(views.Count == 1 ? "" : "s")}.",
            Extensions = { ["workloadErrors"] = views },
        });
    }
}
