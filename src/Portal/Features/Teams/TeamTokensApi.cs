using Microsoft.AspNetCore.Http.HttpResults;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Users;

namespace Paddock.Portal.Features.Teams;

/// <summary><c>/api/v1/teams/{team}/tokens</c>: team tokens for CI. The secret is in the create answer only.</summary>
public static class TeamTokensApi
{
    public static RouteGroupBuilder MapTeamTokenEndpoints(this RouteGroupBuilder teams)
    {
        teams.MapPost("/{team}/tokens", CreateAsync).WithSummary("Creates a team token with a scope; its secret is shown only in this answer (owners).");
        teams.MapGet("/{team}/tokens", ListAsync).WithSummary("The team's tokens (never their secrets).");
        teams.MapDelete("/{team}/tokens/{id:guid}", RevokeAsync).WithSummary("Revokes a team token (owners).");
        return teams;
    }

    private static async Task<Results<Created<CreatedTokenView>, ProblemHttpResult>> CreateAsync(
        string team, CreateTeamTokenRequest request, HttpContext http, TeamTokenService tokens, CancellationToken ct)
    {
        var outcome = await tokens.CreateAsync(http.Caller(), team, request, ct);
        return outcome.IsOk ? TypedResults.Created($"/api/v1/teams/{team}/tokens", outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<IReadOnlyList<TokenView>>, ProblemHttpResult>> ListAsync(
        string team, HttpContext http, TeamTokenService tokens, CancellationToken ct)
    {
        var outcome = await tokens.ListAsync(http.Caller(), team, ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(
        string team, Guid id, HttpContext http, TeamTokenService tokens, CancellationToken ct)
    {
        var outcome = await tokens.RevokeAsync(http.Caller(), team, id, ct);
        return outcome.IsOk ? TypedResults.NoContent() : outcome.ToProblem();
    }
}
