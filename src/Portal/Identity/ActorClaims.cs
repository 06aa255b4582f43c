using System.Security.Claims;
using Paddock.Domain.Access;
using Paddock.Domain.Tokens;

namespace Paddock.Portal.Identity;

/// <summary>The claims Paddock puts on a principal, and the <see cref="Actor"/> read back from them.</summary>
public static class ActorClaims
{
    public const string Admin = "paddock:admin";
    public const string TokenId = "paddock:token";
    public const string TeamId = "paddock:team";
    public const string Scope = "paddock:scope";

    public static Actor ToActor(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return Actor.Anonymous;
        var name = principal.FindFirstValue(ClaimTypes.Name) ?? "unknown";
        var tokenId = Guid.TryParse(principal.FindFirstValue(TokenId), out var t) ? t : (Guid?)null;
        if (Guid.TryParse(principal.FindFirstValue(TeamId), out var teamId) && tokenId is not null)
        {
            var scope = Enum.TryParse<TokenScope>(principal.FindFirstValue(Scope), out var s) ? s : TokenScope.Read;
            return Actor.ForTeamToken(tokenId.Value, name, teamId, scope);
        }
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId)) return Actor.Anonymous;
        return Actor.ForUser(userId, name, principal.HasClaim(Admin, "true"), tokenId);
    }

    public static Actor ActorOf(HttpContext context) => ToActor(context.User);
}
