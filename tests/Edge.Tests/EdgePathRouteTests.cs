using System.Net;
using Npgsql;
using Paddock.Domain.Edge;
using Paddock.Edge.Tests.Infrastructure;

namespace Paddock.Edge.Tests;

/// <summary>Host routes of <c>route</c> resources (<c>host_routes</c>): a host and path prefix to an environment's
/// instances, the longest prefix first, beside the environments' own URLs.</summary>
public class EdgePathRouteTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    [Fact]
    public async Task A_host_routes_each_path_prefix_to_its_environment_longest_prefix_first_and_urls_keep_working()
    {
        var (site, siteHost) = await edge.CreateEnvironmentAsync();
        var (api, apiHost) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(site, await edge.SwitchAsync(site, siteHost, edge.V1));
        await edge.WaitForAcknowledgementAsync(api, await edge.SwitchAsync(api, apiHost, edge.V2));

        await ClaimAsync("r-site", site, "shop.localhost", "/");
        await ClaimAsync("r-api", api, "shop.localhost", "/api");

        await EdgeRoutingTests.Eventually(async () => await TextAsync("shop.localhost", "/api/orders") == "v2");
        Assert.Equal("v2", await edge.GetTextAsync("shop.localhost", "/api"));
        Assert.Equal("v1", await edge.GetTextAsync("shop.localhost", "/apix"));
        Assert.Equal("v1", await edge.GetTextAsync("shop.localhost", "/"));
        Assert.Equal("v1", await edge.GetTextAsync(siteHost));
        Assert.Equal("v2", await edge.GetTextAsync(apiHost, "/anything"));
    }

    [Fact]
    public async Task A_released_route_stops_being_served_once_the_edge_is_notified()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, edge.V3));
        await ClaimAsync("r-blog", id, "blog.localhost", "/");
        await EdgeRoutingTests.Eventually(async () => await TextAsync("blog.localhost", "/") == "v3");

        await ExecuteAsync("DELETE FROM host_routes WHERE uid = 'r-blog'; SELECT pg_notify(@channel, @id::text);", id);

        await EdgeRoutingTests.Eventually(async () =>
        {
            using var response = await edge.GetAsync("blog.localhost");
            return response.StatusCode == HttpStatusCode.NotFound;
        });
        Assert.Equal("v3", await edge.GetTextAsync(host));
    }

    [Fact]
    public async Task A_second_environment_cannot_hold_the_same_host_and_path()
    {
        var (first, _) = await edge.CreateEnvironmentAsync();
        var (second, _) = await edge.CreateEnvironmentAsync();
        await ClaimAsync("r-one", first, "same.localhost", "/docs");

        var refused = await Assert.ThrowsAsync<PostgresException>(() => ClaimAsync("r-two", second, "same.localhost", "/docs"));

        Assert.Equal(PostgresErrorCodes.UniqueViolation, refused.SqlState);
    }

    private async Task<string?> TextAsync(string host, string path)
    {
        using var response = await edge.GetAsync(host, path);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
    }

    private Task ClaimAsync(string uid, Guid environmentId, string host, string path) =>
        ExecuteAsync("""
            INSERT INTO host_routes (uid, environment_id, host, path, created_at) VALUES (@uid, @id, @host, @path, now());
            SELECT pg_notify(@channel, @id::text);
            """, environmentId, ("uid", uid), ("host", host), ("path", path));

    private async Task ExecuteAsync(string sql, Guid environmentId, params (string Name, string Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(edge.AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("channel", EdgeRouteNotice.Channel);
        command.Parameters.AddWithValue("id", environmentId);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        await command.ExecuteNonQueryAsync();
    }
}
