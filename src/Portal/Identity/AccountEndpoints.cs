using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;

namespace Paddock.Portal.Identity;

/// <summary>The cookie sign-in and sign-out form posts behind the UI's login page.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/account/login", LoginAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/account/logout", LogoutAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> LoginAsync(
        [FromForm] string email, [FromForm] string password, [FromForm] string? returnUrl,
        HttpContext http, SignInManager<PaddockUser> signIn, AuditLog audit, CancellationToken ct)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var user = await signIn.UserManager.FindByEmailAsync(email);
        var caller = http.Caller();
        if (user is null || user.IsDisabled)
        {
            await audit.SaveChangesAsync(caller.Audit("user.login_failed", "user", user?.Id.ToString(), null, null, null, new { email, reason = user is null ? "unknown user" : "disabled" }), ct);
            return Back("Wrong email or password.", target);
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        var actorCaller = caller with { Actor = Domain.Access.Actor.ForUser(user.Id, email, user.IsPlatformAdmin) };
        if (result.Succeeded)
        {
            await audit.SaveChangesAsync(actorCaller.Audit("user.login", "user", user.Id.ToString(), null, null, null, null), ct);
            return Results.LocalRedirect(target);
        }
        var reason = result.IsLockedOut ? "locked out" : "wrong password";
        await audit.SaveChangesAsync(caller.Audit("user.login_failed", "user", user.Id.ToString(), null, null, null, new { email, reason }), ct);
        return Back(result.IsLockedOut
            ? "Too many failed attempts: this account is locked for 15 minutes."
            : "Wrong email or password.", target);
    }

    private static async Task<IResult> LogoutAsync(HttpContext http, SignInManager<PaddockUser> signIn)
    {
        await signIn.SignOutAsync();
        return Results.LocalRedirect("/login");
    }

    private static IResult Back(string error, string returnUrl) =>
        Results.LocalRedirect($"/login?error={Uri.EscapeDataString(error)}&returnUrl={Uri.EscapeDataString(returnUrl)}");

    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
        && !url.Any(char.IsControl); // a redirect cannot carry control characters (LocalRedirect would throw)
}
