using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Teams;

/// <summary><c>/api/v1/teams</c>: create, list, read and rename teams. Reads hand out the team's ETag;
/// PATCH honours If-Match.</summary>
public static class TeamsApi
{
    public static RouteGroupBuilder MapTeamEndpoints(this RouteGroupBuilder teams)
    {
        teams.MapPost("/", CreateAsync).WithSummary("Creates a team (platform admins).");
        teams.MapGet("/", ListAsync).WithSummary("The teams you can see.");
        teams.MapGet("/{team}", GetAsync).WithSummary("One team with its members.");
        teams.MapPatch("/{team}", UpdateAsync).WithSummary("Changes a team's description.");
        return teams;
    }

    private static async Task<Results<Created<TeamDetailView>, ProblemHttpResult>> CreateAsync(
        CreateTeamRequest request, HttpContext http, TeamService teams, CancellationToken ct)
    {
        var outcome = await teams.CreateAsync(http.Caller(), request, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        var team = WithETag(http, outcome.Value!);
        return TypedResults.Created($"/api/v1/teams/{team.Name}", team);
    }

    private static async Task<Results<Ok<IReadOnlyList<TeamView>>, ProblemHttpResult>> ListAsync(
        HttpContext http, TeamService teams, CancellationToken ct)
    {
        var outcome = await teams.ListAsync(http.Caller(), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<TeamDetailView>, ProblemHttpResult>> GetAsync(
        string team, HttpContext http, TeamService teams, CancellationToken ct)
    {
        var outcome = await teams.GetAsync(http.Caller(), team, ct);
        return outcome.IsOk ? TypedResults.Ok(WithETag(http, outcome.Value!)) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<TeamDetailView>, ProblemHttpResult>> UpdateAsync(
        string team, UpdateTeamRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        HttpContext http, TeamService teams, CancellationToken ct)
    {
        if (!ETags.TryParse(ifMatch, out var expected))
            return Failure.Invalid("If-Match", "Send the ETag from GET, e.g. \"123\".").ToProblem();
        var outcome = await teams.UpdateAsync(http.Caller(), team, request, expected, ct);
        return outcome.IsOk ? TypedResults.Ok(WithETag(http, outcome.Value!)) : outcome.ToProblem();
    }

    private static TeamDetailView WithETag(HttpContext http, VersionedTeam versioned)
    {
        http.Response.Headers.ETag = ETags.Format(versioned.Version);
        return versioned.Team;
    }
}
