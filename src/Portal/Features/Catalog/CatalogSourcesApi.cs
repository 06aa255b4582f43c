using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Catalog;

/// <summary><c>/api/v1/catalog/sources</c>: the git repositories platform admins register as catalogs (README, Catalog).</summary>
public static class CatalogSourcesApi
{
    public static RouteGroupBuilder Map(RouteGroupBuilder api)
    {
        var sources = api.MapGroup("/catalog/sources").WithTags("Catalog");
        sources.MapPost("", RegisterAsync)
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Registers a git repository as a catalog (name, url, ref, path; token or sshKey, stored encrypted and never shown again) and " +
                "reads its entries at once; admins only. 422 names each field that cannot be used (unreachable url, refused credential, missing ref or path).");
        sources.MapGet("", ListAsync)
            .WithSummary("The git catalogs (admins only): the commit last read and when, the last fetch's error if it failed, their entries and broken entries.");
        sources.MapDelete("/{name}", DeleteAsync).WithSummary("Removes a git catalog (admins only); what was installed from it keeps running.");
        return api;
    }

    public static async Task<Results<Created<CatalogSourceView>, ProblemHttpResult>> RegisterAsync(
        RegisterCatalogSourceRequest request, HttpContext http, CatalogSourceService sources, CancellationToken ct)
    {
        var outcome = await sources.RegisterAsync(http.Caller(), request, ct);
        return outcome.IsOk ? TypedResults.Created($"/api/v1/catalog/sources/{outcome.Value!.Name}", outcome.Value) : outcome.ToProblem();
    }

    public static async Task<Results<Ok<IReadOnlyList<CatalogSourceView>>, ProblemHttpResult>> ListAsync(
        HttpContext http, CatalogSourceService sources, CancellationToken ct)
    {
        var outcome = await sources.ListAsync(http.Caller(), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    public static async Task<Results<Ok<CatalogSourceView>, ProblemHttpResult>> DeleteAsync(
        string name, HttpContext http, CatalogSourceService sources, CancellationToken ct)
    {
        var outcome = await sources.DeleteAsync(http.Caller(), name, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
