using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paddock.Persistence;

namespace Paddock.Portal.Identity;

/// <summary>Whether the credential a principal was authenticated with still holds: for a token, that it is neither
/// revoked nor expired and its user (if any) is not disabled; for a cookie session, that its user is not disabled and
/// the security stamp it was issued with is still the user's. What long-lived connections (SSE streams, Blazor
/// circuits) ask again after the request that opened them.</summary>
public sealed class CredentialCheck(PaddockDbContext db, TimeProvider clock, IOptions<IdentityOptions> identity)
{
    public async Task<bool> StillHoldsAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (principal.FindFirstValue(ActorClaims.TokenId) is { } tokenText)
        {
            if (!Guid.TryParse(tokenText, out var tokenId)) return false;
            var found = await db.ApiTokens.AsNoTracking()
                .Where(t => t.Id == tokenId)
                .Select(t => new { Token = t, UserDisabled = t.UserId != null && !db.Users.Any(u => u.Id == t.UserId && !u.IsDisabled) })
                .FirstOrDefaultAsync(ct);
            return found is not null && !found.UserDisabled && found.Token.IsUsableAt(clock.GetUtcNow().UtcDateTime);
        }
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)) return false;
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.IsDisabled, u.SecurityStamp }).FirstOrDefaultAsync(ct);
        return user is { IsDisabled: false }
            && principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType) == user.SecurityStamp;
    }
}
