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
        var connectionString = PaddockConnectionString.Of(builder.Configuration);
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
        // The edge's own pages answer on every host, before the proxy's catch-all route.
        var showRoutes = app.Configuration.GetValue<bool>($"{EdgeOptions.Section}:{nameof(EdgeOptions.ShowRoutes)}");
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments("/_edge", out var rest))
            {
                await EdgePage(http, rest, showRoutes);
                return;
            }
            await next(http);
        });
        app.MapReverseProxy(proxy =>
        {
            proxy.Use(HostSelection.SelectClusterByHost);
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }

    private static async Task EdgePage(HttpContext http, PathString page, bool showRoutes)
    {
        if (page == "/healthz")
        {
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync("ok");
        }
        else if (page == "/routes" && showRoutes)
        {
            var table = http.RequestServices.GetRequiredService<EdgeConfigProvider>().Table;
            await http.Response.WriteAsJsonAsync(table.Rows.OrderBy(r => r.Host)
                .Select(r => new { r.Host, r.EnvironmentId, r.DeploymentId, r.Upstreams, r.Version,
                    Paths = table.PathRoutes.Where(p => p.EnvironmentId == r.EnvironmentId).Select(p => $"{p.Host}{p.Path}").ToList() }));
        }
        else
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
