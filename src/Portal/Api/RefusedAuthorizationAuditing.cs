using Paddock.Persistence.Audit;

namespace Paddock.Portal.Api;

/// <summary>Records <c>authorization.refused</c> for 403 answers, and for 401 answers to requests that
/// presented credentials (a bad or revoked token, a stale session): anonymous probes would only flood the trail.
/// Sits between authentication and authorization, so it sees the authenticated caller and the final status.</summary>
public sealed class RefusedAuthorizationAuditing(RequestDelegate next, ILogger<RefusedAuthorizationAuditing> logger)
{
    private const int MaxPathLength = 150;
    private const string SessionCookieName = "paddock.session"; // as configured in IdentitySetup

    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);
        if (!IsRefusal(context)) return;
        try
        {
            // A service that already wrote this request's event (e.g. a refused action it audits itself) wins.
            if (context.RequestServices.GetRequiredService<AuditLog>().HasAppended) return;
            // Own scope: the request's DbContext may hold changes the refused request never meant to save.
            await using var scope = context.RequestServices.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
            var audit = scope.ServiceProvider.GetRequiredService<AuditLog>();
            var method = context.Request.Method;
            var path = Shorten(context.Request.Path.Value ?? "/");
            var status = context.Response.StatusCode;
            var entry = context.Caller().Audit("authorization.refused", "request", $"{method} {path}", null, null, null,
                new { method, path, status, credentials = CredentialsKind(context) });
            await audit.SaveChangesAsync(entry, CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not audit the refused request {Method} {Path}", context.Request.Method, context.Request.Path);
        }
    }

    private static bool IsRefusal(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status403Forbidden => true,
        StatusCodes.Status401Unauthorized => CredentialsKind(context) is not null,
        _ => false,
    };

    /// <summary>Which credentials came with the request; never their value.</summary>
    private static string? CredentialsKind(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return "bearer token";
        if (authorization.Length > 0) return "authorization header";
        return context.Request.Cookies.ContainsKey(SessionCookieName) ? "session cookie" : null;
    }

    private static string Shorten(string path) => path.Length <= MaxPathLength ? path : path[..MaxPathLength] + "…";
}
