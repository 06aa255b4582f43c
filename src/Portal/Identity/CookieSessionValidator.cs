using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;

namespace Paddock.Portal.Identity;

/// <summary>Re-checks a cookie session on every request: a disabled user, or a changed security stamp
/// (password change, disabling), ends it at once. Adds the admin claim from the current row, so granting
/// or removing admin needs no new sign-in.</summary>
public static class CookieSessionValidator
{
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal is null || !Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            await RejectAsync(context);
            return;
        }
        var db = context.HttpContext.RequestServices.GetRequiredService<PaddockDbContext>();
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.IsDisabled, u.IsPlatformAdmin, u.SecurityStamp })
            .FirstOrDefaultAsync(context.HttpContext.RequestAborted);
        var stampClaimType = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>()
            .Value.ClaimsIdentity.SecurityStampClaimType;
        if (user is null || user.IsDisabled || principal.FindFirstValue(stampClaimType) != user.SecurityStamp)
        {
            await RejectAsync(context);
            return;
        }
        if (principal.Identity is ClaimsIdentity identity)
        {
            foreach (var stale in identity.FindAll(ActorClaims.Admin).ToList()) identity.RemoveClaim(stale);
            if (user.IsPlatformAdmin) identity.AddClaim(new Claim(ActorClaims.Admin, "true"));
        }
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
    }
}
