namespace Paddock.Portal.Identity;

/// <summary>Cross-site request forgery guard for the REST API: a browser sends the session cookie with a form posted
/// from any site, so a cookie-authenticated unsafe call (POST, PUT, PATCH, DELETE) under <c>/api</c> must come from
/// Paddock's own pages: <c>Sec-Fetch-Site: same-origin</c>, or an <c>Origin</c> equal to the request's own. A call
/// with neither header is refused too (browsers send at least one on a cross-site post). Bearer-token calls carry no
/// ambient credential and pass untouched.</summary>
public sealed class CookieApiOriginCheck(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (!http.Request.Path.StartsWithSegments("/api") || IsSafe(http.Request.Method)) return next(http);
        var identity = http.User.Identity;
        if (identity is not { IsAuthenticated: true } || identity.AuthenticationType == ApiTokenAuthenticationHandler.SchemeName) return next(http);
        if (IsSameOrigin(http.Request)) return next(http);
        return Results.Problem(
            statusCode: StatusCodes.Status403Forbidden,
            title: "Cross-site request refused",
            detail: "A cookie-authenticated API call must come from Paddock's own pages (same Origin); scripts and CI use a bearer token.")
            .ExecuteAsync(http);
    }

    private static bool IsSafe(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static bool IsSameOrigin(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site == "same-origin";
        var origin = request.Headers.Origin.ToString();
        return origin.Length > 0 && string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }
}
