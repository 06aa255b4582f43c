using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Paddock.Edge.Tests.Infrastructure;

/// <summary>A stand-in for an environment's container: a Kestrel app on a loopback port that answers every path
/// with its version text and counts what it served.</summary>
public sealed class Upstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _served;

    private Upstream(WebApplication app, string address, string text)
    {
        _app = app;
        Address = address;
        Text = text;
    }

    public string Address { get; }
    public string Text { get; }
    public int Served => Volatile.Read(ref _served);

    public static async Task<Upstream> StartAsync(string text)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        Upstream? self = null;
        app.Run(async http =>
        {
            Interlocked.Increment(ref self!._served);
            await http.Response.WriteAsync(text);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        self = new Upstream(app, address, text);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
