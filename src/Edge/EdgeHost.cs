using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Paddock.Edge.Routing;

namespace Paddock.Edge;

/// <summary>Runs the edge in the calling process: for tests, and for anything that wants the proxy without a
/// separate OS process. <see cref="StartAsync(string, string, CancellationToken)"/> returns once the routes in
/// the database are loaded and the edge is listening.</summary>
public static class EdgeHost
{
    public static Task<EdgeHandle> StartAsync(string connectionString, string url = "http://127.0.0.1:0", CancellationToken ct = default) =>
        StartAsync(connectionString, url, new Dictionary<string, string?>(), ct);

    /// <param name="settings">Extra configuration, e.g. <c>["Edge:FullReloadSeconds"] = "2"</c>.</param>
    public static async Task<EdgeHandle> StartAsync(string connectionString, string url, IReadOnlyDictionary<string, string?> settings, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(EdgeHost).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Paddock"] = connectionString,
            ["Edge:ShowRoutes"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls(url);
        builder.AddPaddockEdge();

        var app = builder.Build();
        app.MapPaddockEdge();
        await app.StartAsync(ct);
        // Switches notified from here on are heard: callers need not know about the LISTEN connection's start.
        await app.Services.GetRequiredService<EdgeRouteSync>().Listening.WaitAsync(TimeSpan.FromSeconds(30), ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new EdgeHandle(app, new Uri(address));
    }
}

/// <summary>A running in-process edge. <see cref="Address"/> is where it listens (e.g. <c>http://127.0.0.1:41235/</c>);
/// send requests there with the environment's host name in the Host header.</summary>
public sealed class EdgeHandle(WebApplication app, Uri address) : IAsyncDisposable
{
    public Uri Address { get; } = address;

    public int Port => Address.Port;

    public IServiceProvider Services => app.Services;

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
