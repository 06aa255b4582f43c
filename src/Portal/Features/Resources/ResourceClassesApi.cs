using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Resources;

/// <summary><c>/api/v1/resource-classes</c>: the servers resources are provisioned on, for platform admins.</summary>
public static class ResourceClassesApi
{
    public static RouteGroupBuilder MapResourceClassEndpoints(this RouteGroupBuilder classes)
    {
        classes.MapGet("/", ListAsync).WithSummary("The resource classes with their plain settings and the names of their secret ones; never secret values.");
        classes.MapPost("/", CreateAsync).WithSummary("Registers a class of a resource type (postgres: host, port, username, database; secret password).");
        classes.MapGet("/{type}/{name}", GetAsync).WithSummary("One resource class.");
        classes.MapPatch("/{type}/{name}", UpdateAsync)
            .WithSummary("Changes a class: values given replace its plain settings; each secret given replaces that secret (null removes it).");
        classes.MapDelete("/{type}/{name}", DeleteAsync).WithSummary("Removes a class that holds no environment's resource (409 otherwise).");
        return classes;
    }

    private static async Task<Results<Ok<IReadOnlyList<ResourceClassView>>, ProblemHttpResult>> ListAsync(
        HttpContext http, ResourceClassService classes, CancellationToken ct)
    {
        var outcome = await classes.ListAsync(http.Caller(), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Created<ResourceClassView>, ProblemHttpResult>> CreateAsync(
        CreateResourceClassRequest request, HttpContext http, ResourceClassService classes, CancellationToken ct)
    {
        var outcome = await classes.CreateAsync(http.Caller(), request, ct);
        return outcome.IsOk ? TypedResults.Created($"/api/v1/resource-classes/{outcome.Value!.Type}/{outcome.Value.Name}", outcome.Value) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<ResourceClassView>, ProblemHttpResult>> GetAsync(
        string type, string name, HttpContext http, ResourceClassService classes, CancellationToken ct)
    {
        var outcome = await classes.GetAsync(http.Caller(), type, name, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<ResourceClassView>, ProblemHttpResult>> UpdateAsync(
        string type, string name, UpdateResourceClassRequest request, HttpContext http, ResourceClassService classes, CancellationToken ct)
    {
        var outcome = await classes.UpdateAsync(http.Caller(), type, name, request, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<ResourceClassView>, ProblemHttpResult>> DeleteAsync(
        string type, string name, HttpContext http, ResourceClassService classes, CancellationToken ct)
    {
        var outcome = await classes.DeleteAsync(http.Caller(), type, name, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
