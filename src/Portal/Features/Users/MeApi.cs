using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Paddock.Persistence;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Users;

/// <summary><c>/api/v1/me</c>: the caller's own profile, password and personal tokens.</summary>
public static class MeApi
{
    public static RouteGroupBuilder MapMeEndpoints(this RouteGroupBuilder me)
    {
        me.MapGet("/", GetAsync).WithSummary("The signed-in user or the token's owner, with team roles.");
        me.MapPost("/password", ChangePasswordAsync).WithSummary("Changes your own password.");
        me.MapPost("/tokens", CreateTokenAsync).WithSummary("Creates a personal API token; its secret is shown only in this answer.");
        me.MapGet("/tokens", ListTokensAsync).WithSummary("Your personal API tokens (never their secrets).");
        me.MapDelete("/tokens/{id:guid}", RevokeTokenAsync).WithSummary("Revokes one of your personal API tokens.");
        return me;
    }

    private static async Task<Results<Ok<MeView>, ProblemHttpResult>> GetAsync(HttpContext http, MeService me, CancellationToken ct)
    {
        var outcome = await me.GetAsync(http.Caller(), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> ChangePasswordAsync(
        ChangePasswordRequest request, HttpContext http, MeService me, SignInManager<PaddockUser> signIn, CancellationToken ct)
    {
        var caller = http.Caller();
        var outcome = await me.ChangePasswordAsync(caller, request, ct);
        if (!outcome.IsOk) return outcome.ToProblem();
        // The new security stamp ends every cookie session; a browser that changed its own password gets a fresh one.
        if (caller.Actor.TokenId is null) await signIn.RefreshSignInAsync(outcome.Value!);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<CreatedTokenView>, ProblemHttpResult>> CreateTokenAsync(
        CreatePersonalTokenRequest request, HttpContext http, PersonalTokenService tokens, CancellationToken ct)
    {
        var outcome = await tokens.CreateAsync(http.Caller(), request, ct);
        return outcome.IsOk ? TypedResults.Created("/api/v1/me/tokens", outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<Ok<IReadOnlyList<TokenView>>, ProblemHttpResult>> ListTokensAsync(
        HttpContext http, PersonalTokenService tokens, CancellationToken ct)
    {
        var outcome = await tokens.ListAsync(http.Caller(), ct);
        return outcome.IsOk ? TypedResults.Ok(outcome.Value!) : outcome.ToProblem();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeTokenAsync(
        Guid id, HttpContext http, PersonalTokenService tokens, CancellationToken ct)
    {
        var outcome = await tokens.RevokeAsync(http.Caller(), id, ct);
        return outcome.IsOk ? TypedResults.NoContent() : outcome.ToProblem();
    }
}
