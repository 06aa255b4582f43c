using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paddock.Domain.Tokens;
using Paddock.Persistence;

namespace Paddock.Portal.Identity;

/// <summary>Authenticates <c>Authorization: Bearer pdk_...</c> against the hashed tokens in the database.
/// Checked on every request, so revoking a token or disabling its user takes effect at once.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    PaddockDbContext db,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        if (!secret.StartsWith(ApiToken.Prefix, StringComparison.Ordinal))
            return AuthenticateResult.Fail("Not a Paddock token.");

        var hash = ApiToken.HashOf(secret);
        var now = clock.GetUtcNow().UtcDateTime;
        var found = await db.ApiTokens.AsNoTracking()
            .Where(t => t.Hash == hash)
            .Select(t => new { Token = t, User = db.Users.FirstOrDefault(u => u.Id == t.UserId) })
            .FirstOrDefaultAsync(Context.RequestAborted);
        if (found is null || !found.Token.IsUsableAt(now))
            return AuthenticateResult.Fail("The token is unknown, revoked or expired.");

        var token = found.Token;
        var claims = new List<Claim> { new(ActorClaims.TokenId, token.Id.ToString()) };
        if (token.TeamId is { } teamId)
        {
            claims.Add(new Claim(ClaimTypes.Name, $"token:{token.Name}"));
            claims.Add(new Claim(ActorClaims.TeamId, teamId.ToString()));
            claims.Add(new Claim(ActorClaims.Scope, (token.Scope ?? TokenScope.Read).ToString()));
        }
        else
        {
            var user = found.User;
            if (user is null || user.IsDisabled) return AuthenticateResult.Fail("The token's user is disabled.");
            claims.Add(new Claim(ClaimTypes.NameIdentifier, user.Id.ToString()));
            claims.Add(new Claim(ClaimTypes.Name, user.Email ?? user.UserName ?? user.Id.ToString()));
            if (user.IsPlatformAdmin) claims.Add(new Claim(ActorClaims.Admin, "true"));
        }
        if (token.LastUsedAt is not { } lastUsed || lastUsed < now.AddMinutes(-1)) await MarkUsedAsync(token.Id, now);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>At most once a minute per token, so reads stay reads (and most requests skip the round trip: the
    /// condition is checked on the row just read, and again in the update for requests that race).</summary>
    private Task MarkUsedAsync(Guid tokenId, DateTime now) =>
        db.ApiTokens.Where(t => t.Id == tokenId && (t.LastUsedAt == null || t.LastUsedAt < now.AddMinutes(-1)))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), Context.RequestAborted);
}
