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
        HttpContext http, SignInManager<PaddockUser> signIn, IPasswordHasher<PaddockUser> hasher, LoginThrottle throttle,
        AuditLog audit, CancellationToken ct)
    {
        var target = IsLocal(returnUrl) ? returnUrl! : "/";
        var caller = http.Caller();
        var address = caller.ClientIp;
        if (throttle.WaitFor(email, address) is { TotalSeconds: > 0 } wait)
        {
            await audit.SaveChangesAsync(caller.Audit("user.login_failed", "user", null, null, null, null, new { email, reason = "throttled" }), ct);
            return Back($"Too many failed attempts: signing in to this account from your address is locked for {Math.Ceiling(wait.TotalMinutes):0} more minute(s).", target);
        }

        var user = await signIn.UserManager.FindByEmailAsync(email);
        if (user is null || user.IsDisabled)
        {
            // The work a real password check does, so that how long the answer takes does not tell whether the account exists.
            hasher.VerifyHashedPassword(Nobody, NobodysHash.Value, password);
            throttle.Failed(email, address);
            await audit.SaveChangesAsync(caller.Audit("user.login_failed", "user", user?.Id.ToString(), null, null, null, new { email, reason = user is null ? "unknown user" : "disabled" }), ct);
            return Back(WrongEmailOrPassword, target);
        }

        // Identity's own lockout is per account alone, which would let anyone lock anyone out; the throttle above
        // counts per account and address instead.
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: false);
        var actorCaller = caller with { Actor = Domain.Access.Actor.ForUser(user.Id, email, user.IsPlatformAdmin) };
        if (result.Succeeded)
        {
            throttle.Succeeded(email, address);
            await audit.SaveChangesAsync(actorCaller.Audit("user.login", "user", user.Id.ToString(), null, null, null, null), ct);
            return Results.LocalRedirect(target);
        }
        throttle.Failed(email, address);
        await audit.SaveChangesAsync(caller.Audit("user.login_failed", "user", user.Id.ToString(), null, null, null, new { email, reason = "wrong password" }), ct);
        return Back(WrongEmailOrPassword, target);
    }

    private const string WrongEmailOrPassword = "Wrong email or password.";
    private static readonly PaddockUser Nobody = new();
    private static readonly Lazy<string> NobodysHash = new(() => new PasswordHasher<PaddockUser>().HashPassword(Nobody, Guid.NewGuid().ToString()));

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
