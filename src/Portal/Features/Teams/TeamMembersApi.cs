using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Teams;

/// <summary><c>/api/v1/teams/{team}/members</c>: add a member or change their role (POST), remove one (DELETE).</summary>
public static class TeamMembersApi
{
    public static RouteGroupBuilder MapTeamMemberEndpoints(this RouteGroupBuilder teams)
    {
        teams.MapPost("/{team}/members", SetAsync).WithSummary("Adds a member or changes a member's role (owners).");
        teams.MapDelete("/{team}/members", (string team, string? user, HttpContext http, TeamMemberService members, CancellationToken ct) =>
            RemoveAsync(team, user, http, members, ct)).WithSummary("Removes the member named by ?user= (owners).");
        teams.MapDelete("/{team}/members/{user}", RemoveAsync).WithSummary("Removes a member (owners).");
        return teams;
    }

    private static async Task<Results<Created<TeamMemberView>, Ok<TeamMemberView>, ProblemHttpResult>> SetAsync(
        string team, SetMemberRequest request, HttpContext http, TeamMemberService members, CancellationToken ct)
    {
        var outcome = await members.SetAsync(http.Caller(), team, request, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        var change = outcome.Value!;
        return change.Added
            ? TypedResults.Created($"/api/v1/teams/{team}/members/{change.Member.UserId}", change.Member)
            : TypedResults.Ok(change.Member);
    }

    /// <summary><paramref name="user"/> is an email or a user id, from the path or <c>?user=</c>.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(
        string team, string? user, HttpContext http, TeamMemberService members, CancellationToken ct)
    {
        var outcome = await members.RemoveAsync(http.Caller(), team, user, ct);
        return outcome.IsOk ? TypedResults.NoContent() : outcome.ToProblem();
    }
}
