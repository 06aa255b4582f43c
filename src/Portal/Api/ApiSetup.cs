using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Paddock.Portal.Identity;
using Scalar.AspNetCore;

namespace Paddock.Portal.Api;

public static class ApiSetup
{
    /// <summary>Largest request body the API accepts; larger ones get 413.</summary>
    public const long MaxRequestBodyBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddPaddockApi(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            // A field the request type does not have is refused (400), on POST as the merge patches do on PATCH.
            o.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        });
        // Binding failures throw, so BadRequestProblems can answer them with field errors like any other 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler<BadRequestProblems>();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
        });
        builder.Services.AddOpenApi("v1", o => o.AddPaddockContract());
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        builder.Services.AddHttpContextAccessor();
        builder.AddForwardedHeaders();
        return builder;
    }

    public static WebApplication UsePaddockApi(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        // Empty 4xx/5xx answers (401, 404 for unknown routes, 405, 413 from Kestrel) become problem details (the outer
        // handler), except for a browser asking for a page: the inner handler renders the portal's error page with a
        // way back. The inner one is switched off for everything else, which the outer one then answers. (Both sit on
        // the application itself: a re-execution needs its router, which a UseWhen branch does not carry.)
        app.UseStatusCodePages();
        app.UseStatusCodePagesWithReExecute("/error/{0}", createScopeForStatusCodePages: true);
        app.Use((context, next) =>
        {
            if (!WantsPage(context) && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
            return next(context);
        });
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithOpenApiRoutePattern("/openapi/{documentName}.json").WithTitle("Paddock API")).AllowAnonymous();
        return app;
    }

    /// <summary>A browser navigating to a page (not the API, whose clients always get problem details).</summary>
    private static bool WantsPage(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && !context.Request.Path.StartsWithSegments("/api")
        && context.Request.Headers.Accept.Any(value => value?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>The caller of the current request, for feature services.</summary>
    public static Caller Caller(this HttpContext context) => new(
        ActorClaims.ActorOf(context),
        context.Connection.RemoteIpAddress?.ToString(),
        context.Request.Headers["X-Correlation-Id"].FirstOrDefault() is { Length: > 0 and <= 128 } id ? id : context.TraceIdentifier);
}
