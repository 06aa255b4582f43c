using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Paddock.Portal.Api;

/// <summary>Response headers that make the browser refuse what Paddock never does: guess content types, show its
/// pages in another site's frame, or run scripts from elsewhere; plus HSTS over HTTPS, and the client's real address
/// and scheme when the portal runs behind a reverse proxy named in <c>Paddock:ForwardedHeaders:KnownProxies</c>.</summary>
public static class SecurityHeaders
{
    public const string KnownProxiesKey = "Paddock:ForwardedHeaders:KnownProxies";

    /// <summary>The UI's policy: Blazor's and MudBlazor's scripts are Paddock's own files; MudBlazor sets inline style
    /// attributes; the circuit talks over a WebSocket to the same host.</summary>
    public const string UiContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    /// <summary>Pages Paddock does not render itself (Hangfire's dashboard, the API reference) keep their own scripts,
    /// but no page may be framed.</summary>
    public const string FrameOnlyPolicy = "frame-ancestors 'none'";

    public static void AddForwardedHeaders(this IHostApplicationBuilder builder)
    {
        var proxies = builder.Configuration.GetSection(KnownProxiesKey).Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Only the proxies named are believed; with none named, forwarded headers are ignored.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) o.KnownProxies.Add(IPAddress.Parse(proxy));
        });
    }

    public static void UseSecurityHeaders(this WebApplication app)
    {
        if (app.Configuration.GetSection(KnownProxiesKey).Get<string[]>() is { Length: > 0 }) app.UseForwardedHeaders();
        app.UseHsts(); // sends Strict-Transport-Security on HTTPS requests only
        app.Use((http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            var path = http.Request.Path;
            headers.ContentSecurityPolicy = path.StartsWithSegments("/hangfire") || path.StartsWithSegments("/docs")
                ? FrameOnlyPolicy
                : UiContentSecurityPolicy;
            return next(http);
        });
    }
}
