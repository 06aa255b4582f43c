using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Applications;

namespace Paddock.Portal.Features.Clusters;

/// <summary><c>/api/v1/clusters</c>: Kubernetes clusters registered at run time, for platform admins.</summary>
public static class ClustersApi
{
    public static RouteGroupBuilder MapClusterEndpoints(this RouteGroupBuilder clusters)
    {
        clusters.MapGet("/", ListAsync).WithSummary("The registered clusters with whether they answer and their version; never credentials.");
        clusters.MapPost("/", RegisterAsync).WithSummary("Registers a cluster by kubeconfig or in-cluster service account; it becomes a kubernetes backend.");
        clusters.MapGet("/{name}", GetAsync).WithSummary("One cluster with its ETag.");
        clusters.MapPatch("/{name}", UpdateAsync).Accepts<JsonElement>("application/merge-patch+json", "application/json")
            .WithSummary("JSON merge patch of a cluster's settings; a kubeconfig given replaces the stored one. Honours If-Match.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        clusters.MapDelete("/{name}", DeleteAsync).WithSummary("Removes a cluster no environment uses (409 otherwise). Honours If-Match.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return clusters;
    }

    private static async Task<Results<Ok<IReadOnlyList<ClusterView>>, ProblemHttpResult>> ListAsync(
        HttpContext http, ClusterService clusters, CancellationToken ct)
    {
        var outcome = await clusters.ListAsync(http.Caller(), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Created<ClusterView>, ProblemHttpResult>> RegisterAsync(
        RegisterClusterRequest request, HttpContext http, ClusterService clusters, CancellationToken ct)
    {
        var outcome = await clusters.RegisterAsync(http.Caller(), request, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers.ETag = outcome.Value!.ETag;
        return TypedResults.Created($"/api/v1/clusters/{outcome.Value.View.Name}", outcome.Value.View);
    }

    private static async Task<Results<Ok<ClusterView>, ProblemHttpResult>> GetAsync(
        string name, HttpContext http, ClusterService clusters, CancellationToken ct)
    {
        var outcome = await clusters.GetAsync(http.Caller(), name, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers.ETag = outcome.Value!.ETag;
        return TypedResults.Ok(outcome.Value.View);
    }

    private static async Task<Results<Ok<ClusterView>, ProblemHttpResult>> UpdateAsync(
        string name, JsonElement body, HttpContext http, ClusterService clusters, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http, out var ifMatch)) return IfMatch.Malformed();
        var errors = new FieldErrors();
        if (MergePatch.Of(body, errors) is not { } json) return errors.ToFailure().ToProblem();
        var patch = ClusterPatch.Read(json);
        json.RejectUnknownFields();
        if (errors.Any) return errors.ToFailure().ToProblem();

        var outcome = await clusters.UpdateAsync(http.Caller(), name, patch, ifMatch, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        http.Response.Headers.ETag = outcome.Value!.ETag;
        return TypedResults.Ok(outcome.Value.View);
    }

    private static async Task<Results<Ok<ClusterView>, ProblemHttpResult>> DeleteAsync(
        string name, HttpContext http, ClusterService clusters, CancellationToken ct)
    {
        if (!IfMatch.TryRead(http, out var ifMatch)) return IfMatch.Malformed();
        var outcome = await clusters.DeleteAsync(http.Caller(), name, ifMatch, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }
}
