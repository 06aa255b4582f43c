using System.Net;
using Microsoft.EntityFrameworkCore;
using Paddock.Edge.Routing;
using Paddock.Persistence;
using Yarp.ReverseProxy.Configuration;

namespace Paddock.Edge;

public static class EdgeSetup
{
    /// <summary>The edge needs only the database (it reads routes and writes acknowledgements); it does not load
    /// the master key or Data Protection, so it holds no secret beyond its connection string.</summary>
    public static IHostApplicationBuilder AddPaddockEdge(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Paddock")
            ?? throw new InvalidOperationException("ConnectionStrings:Paddock is not set.");
        builder.Services.AddOptions<EdgeOptions>().Bind(builder.Configuration.GetSection(EdgeOptions.Section));
        builder.Services.AddDbContextFactory<PaddockDbContext>(o => DbSetup.Configure(o, connectionString));
        builder.Services.AddSingleton<EdgeRouteStore>();
        builder.Services.AddSingleton<EdgeConfigProvider>();
        builder.Services.AddSingleton<IProxyConfigProvider>(sp => sp.GetRequiredService<EdgeConfigProvider>());
        builder.Services.AddSingleton<IConfigChangeListener>(sp => sp.GetRequiredService<EdgeConfigProvider>());
        builder.Services.AddSingleton(sp => ActivatorUtilities.CreateInstance<EdgeRouteSync>(sp, connectionString));
        builder.Services.AddHostedService(sp => sp.GetRequiredService<EdgeRouteSync>());
        builder.Services.AddReverseProxy();
        return builder;
    }

    public static WebApplication MapPaddockEdge(this WebApplication app)
    {
        // Literal paths outrank the proxy's catch-all routes, so these answer on every host.
        app.MapGet("/_edge/healthz", () => TypedResults.Text("ok"));
        if (app.Configuration.GetValue<bool>($"{EdgeOptions.Section}:{nameof(EdgeOptions.ShowRoutes)}"))
        {
            app.MapGet("/_edge/routes", (EdgeConfigProvider provider) => TypedResults.Ok(
                provider.Table.Rows.OrderBy(r => r.Host).Select(r => new { r.Host, r.EnvironmentId, r.DeploymentId, r.Upstreams, r.Version })));
        }
        app.MapReverseProxy();
        // Runs last (order int.MaxValue): a host that no route matches.
        app.MapFallback("/{**path}", (HttpContext http) =>
            TypedResults.Text($"No environment at {WebUtility.HtmlEncode(http.Request.Host.Host)}\n", "text/plain", statusCode: StatusCodes.Status404NotFound));
        return app;
    }
}
