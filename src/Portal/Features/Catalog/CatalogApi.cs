using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Workloads;

namespace Paddock.Portal.Features.Catalog;

/// <summary><c>/api/v1/catalog</c>: the entries anyone signed in may read, and installing one (README, Catalog).</summary>
public static class CatalogApi
{
    public static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var catalog = api.MapGroup("/catalog").WithTags("Catalog");
        catalog.MapGet("", ListAsync).WithSummary("The catalog's entries: id, name, version, description, icon and parameters.");
        catalog.MapGet("/{id}", GetAsync).WithSummary("One entry, with its Score workload template and images.");
        catalog.MapGet("/{id}/icon", IconAsync).Produces<string>(StatusCodes.Status200OK, "image/svg+xml").WithSummary("The entry's icon (SVG).");
        catalog.MapPost("/{id}/install", InstallAsync)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Installs the entry as an app's environment (team, app, environment, parameters): 201 with the plan it will apply, or with " +
                "apply: true 202 with the deployment. Installing again into the same environment is an upgrade, planned the same way. 422 names " +
                "each bad field (parameters.ID for a parameter).");
        // An entry of a git catalog is "{source}/{entry}": the same three routes with the source as a segment of its own.
        catalog.MapGet("/{source}/{entry}", GetFromSourceAsync).WithSummary("One entry of a git catalog (id {source}/{entry}), with its Score workload template and images.");
        catalog.MapGet("/{source}/{entry}/icon", IconFromSourceAsync).Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .WithSummary("The icon (SVG) of an entry of a git catalog.");
        catalog.MapPost("/{source}/{entry}/install", InstallFromSourceAsync)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Installs an entry of a git catalog (id {source}/{entry}) exactly as a built-in one; an entry that does not validate answers 409.");
        api.MapGet("/apps/{app}/catalog", InstalledAsync).WithTags("Catalog")
            .WithSummary("What the app's environments run from the catalog: entry, version, and the catalog's newer version (upgradeTo) if any.");
        return api;
    }

    public static async Task<Ok<IReadOnlyList<CatalogEntryView>>> ListAsync(CatalogService service, CancellationToken ct) =>
        TypedResults.Ok(await service.ListAsync(ct));

    public static async Task<Results<Ok<CatalogEntryView>, ProblemHttpResult>> GetAsync(string id, CatalogService service, CancellationToken ct)
    {
        var outcome = await service.GetAsync(id, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value) : outcome.ToProblem();
    }

    public static Task<Results<Ok<CatalogEntryView>, ProblemHttpResult>> GetFromSourceAsync(string source, string entry, CatalogService service, CancellationToken ct) =>
        GetAsync($"{source}/{entry}", service, ct);

    public static async Task<Results<ContentHttpResult, ProblemHttpResult>> IconAsync(string id, CatalogService service, CancellationToken ct) =>
        await service.IconAsync(id, ct) is { } svg ? TypedResults.Content(svg, "image/svg+xml") : Failure.NotFound($"The icon of catalog entry '{id}'").ToProblem();

    public static Task<Results<ContentHttpResult, ProblemHttpResult>> IconFromSourceAsync(string source, string entry, CatalogService service, CancellationToken ct) =>
        IconAsync($"{source}/{entry}", service, ct);

    public static Task<Results<Created<PlanView>, Accepted<DeploymentView>, ProblemHttpResult>> InstallFromSourceAsync(
        string source, string entry, InstallRequest request, HttpContext http, CatalogService service, CancellationToken ct) =>
        InstallAsync($"{source}/{entry}", request, http, service, ct);

    public static async Task<Results<Created<PlanView>, Accepted<DeploymentView>, ProblemHttpResult>> InstallAsync(
        string id, InstallRequest request, HttpContext http, CatalogService service, CancellationToken ct)
    {
        var outcome = await service.InstallAsync(http.Caller(), id, request, ct);
        if (outcome.WorkloadErrors is { } errors) return WorkloadsApi.Unprocessable(errors);
        if (outcome.Outcome.Kind == OutcomeKind.Invalid) return Unprocessable(outcome.Outcome.Errors, outcome.Outcome.Message);
        if (!outcome.Outcome.IsOk) return outcome.Outcome.ToProblem();
        var (plan, deployment) = outcome.Outcome.Value!;
        return deployment is null ? TypedResults.Created(plan.Url, plan) : TypedResults.Accepted(deployment.Url, deployment);
    }

    /// <summary>Install requests that do not make sense answer 422 naming each field (<c>parameters.ID</c>, <c>team</c>,
    /// <c>app</c>, <c>environment</c>), as the plans' workload errors do.</summary>
    private static ProblemHttpResult Unprocessable(IDictionary<string, string[]>? errors, string? message) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors ?? new Dictionary<string, string[]>())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "Invalid install",
            Detail = message,
        });

    public static async Task<Results<Ok<IReadOnlyList<InstalledEntryView>>, ProblemHttpResult>> InstalledAsync(
        string app, HttpContext http, CatalogService service, CancellationToken ct)
    {
        var outcome = await service.InstalledAsync(http.Caller(), app, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
