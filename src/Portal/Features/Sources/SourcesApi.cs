using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Sources;

/// <summary>A team's repositories (<c>/api/v1/teams/{team}/repositories</c>) and an environment's git source
/// (<c>/api/v1/apps/{app}/environments/{env}/source</c>).</summary>
public static class SourcesApi
{
    public static RouteGroupBuilder MapSourceEndpoints(this RouteGroupBuilder api)
    {
        var repositories = api.MapGroup("/teams/{team}/repositories").WithTags("Sources");
        repositories.MapPost("/", RegisterAsync)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Registers a git repository (url; token or sshKey, stored encrypted and never shown again) after git ls-remote reached it; " +
                "422 names the field when it cannot be reached or authenticated.");
        repositories.MapGet("/", ListAsync).WithSummary("The team's repositories (never their credentials).");
        repositories.MapDelete("/{id:guid}", DeleteAsync).WithSummary("Deletes a repository no environment follows.");

        var source = api.MapGroup("/apps/{app}/environments/{env}/source").WithTags("Sources");
        source.MapPut("/", PutAsync)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .WithSummary("Makes the environment follow a file in a registered repository (repository, ref, path, overridePath, autoApply); the ref, the " +
                "files and the workload are checked at the ref's head (422 names the field, file, line and commit) and followed at once.");
        source.MapGet("/", GetAsync).WithSummary("What the environment follows, the commit it runs, the branch's head, the next commit with its plan and the sync state.");
        source.MapDelete("/", DeleteSourceAsync).WithSummary("Stops following git; what runs stays.");
        return api;
    }

    private static async Task<Results<Created<GitRepositoryView>, ProblemHttpResult>> RegisterAsync(
        string team, RegisterRepositoryRequest request, HttpContext http, GitRepositoryService repositories, CancellationToken ct)
    {
        var outcome = await repositories.RegisterAsync(http.Caller(), team, request, ct);
        return outcome.IsOk ? TypedResults.Created($"/api/v1/teams/{team}/repositories/{outcome.Value!.Id}", outcome.Value) : Problem(outcome);
    }

    private static async Task<Results<Ok<IReadOnlyList<GitRepositoryView>>, ProblemHttpResult>> ListAsync(
        string team, HttpContext http, GitRepositoryService repositories, CancellationToken ct)
    {
        var outcome = await repositories.ListAsync(http.Caller(), team, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<GitRepositoryView>, ProblemHttpResult>> DeleteAsync(
        string team, Guid id, HttpContext http, GitRepositoryService repositories, CancellationToken ct)
    {
        var outcome = await repositories.DeleteAsync(http.Caller(), team, id, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<SourceView>, ProblemHttpResult>> PutAsync(
        string app, string env, PutSourceRequest request, HttpContext http, GitSourceService sources, CancellationToken ct)
    {
        var outcome = await sources.PutAsync(http.Caller(), app, env, request, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : Problem(outcome);
    }

    private static async Task<Results<Ok<SourceView>, ProblemHttpResult>> GetAsync(
        string app, string env, HttpContext http, GitSourceService sources, CancellationToken ct)
    {
        var outcome = await sources.GetAsync(http.Caller(), app, env, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<SourceView>, ProblemHttpResult>> DeleteSourceAsync(
        string app, string env, HttpContext http, GitSourceService sources, CancellationToken ct)
    {
        var outcome = await sources.DeleteAsync(http.Caller(), app, env, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    /// <summary>A well-formed request the repository could not satisfy (unreachable, refused, no such ref or file, an
    /// invalid workload) is 422 with the field named; other failures as usual.</summary>
    private static ProblemHttpResult Problem<T>(Outcome<T> outcome) =>
        outcome is { Kind: OutcomeKind.Invalid, Message: GitRepositoryService.Unprocessable }
            ? TypedResults.Problem(new HttpValidationProblemDetails(outcome.Errors ?? new Dictionary<string, string[]>())
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Unprocessable repository",
                Detail = string.Join(" ", (outcome.Errors ?? new Dictionary<string, string[]>()).SelectMany(e => e.Value)),
            })
            : outcome.ToProblem();
}
