using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Paddock.Workers.Tests.Infrastructure;

/// <summary>A minimal stand-in for the edge process: reads <c>edge_routes</c> every 50 ms, serves each host by
/// forwarding to its first upstream, and acknowledges the versions it serves. <see cref="Acknowledge"/> off
/// plays an edge that never applies a change.</summary>
public sealed class StandInEdge : IAsyncDisposable
{
    private static readonly HttpClient Upstream = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    private readonly WebApplication app;
    private readonly string connectionString;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<string, string[]> routes = new(StringComparer.OrdinalIgnoreCase);
    private Task? sync;

    private StandInEdge(WebApplication app, string connectionString)
    {
        this.app = app;
        this.connectionString = connectionString;
    }

    public bool Acknowledge { get; set; } = true;

    public string Address => app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    public static async Task<StandInEdge> StartAsync(string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var edge = new StandInEdge(app, connectionString);
        app.Run(edge.ForwardAsync);
        await app.StartAsync();
        edge.sync = Task.Run(edge.SyncAsync);
        return edge;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        if (!routes.TryGetValue(context.Request.Host.Host, out var upstreams) || upstreams.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        try
        {
            using var response = await Upstream.GetAsync(new Uri(new Uri(upstreams[0]), context.Request.Path + context.Request.QueryString), context.RequestAborted);
            context.Response.StatusCode = (int)response.StatusCode;
            await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
        }
    }

    private async Task SyncAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(stop.Token);
                var seen = new List<(Guid Id, long Version)>();
                var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                await using (var read = new NpgsqlCommand("SELECT environment_id, host, upstreams, version FROM edge_routes", connection))
                await using (var reader = await read.ExecuteReaderAsync(stop.Token))
                {
                    while (await reader.ReadAsync(stop.Token))
                    {
                        if (!Acknowledge) continue;
                        routes[reader.GetString(1)] = reader.GetFieldValue<string[]>(2);
                        hosts.Add(reader.GetString(1));
                        seen.Add((reader.GetGuid(0), reader.GetInt64(3)));
                    }
                }
                if (Acknowledge)
                {
                    foreach (var host in routes.Keys.Where(h => !hosts.Contains(h))) routes.TryRemove(host, out _);
                    foreach (var (id, version) in seen)
                    {
                        await using var ack = new NpgsqlCommand("UPDATE edge_routes SET applied_version = @v WHERE environment_id = @id AND applied_version < @v", connection);
                        ack.Parameters.AddWithValue("v", version);
                        ack.Parameters.AddWithValue("id", id);
                        await ack.ExecuteNonQueryAsync(stop.Token);
                    }
                }
                await Task.Delay(50, stop.Token);
            }
            catch (OperationCanceledException) { }
            catch (NpgsqlException)
            {
                await Task.Delay(200);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (sync is not null) await sync;
        await app.DisposeAsync();
    }
}
