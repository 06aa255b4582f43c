using System.Net;
using Paddock.Edge.Tests.Infrastructure;

namespace Paddock.Edge.Tests;

public class EdgeRoutingTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    [Fact]
    public async Task A_new_route_is_acknowledged_and_then_serves_its_upstream()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();

        var version = await edge.SwitchAsync(id, host, edge.V1);
        await edge.WaitForAcknowledgementAsync(id, version);

        Assert.Equal("v1", await edge.GetTextAsync(host));
        Assert.Equal("v1", await edge.GetTextAsync(host, "/some/path?q=1"));
    }

    [Fact]
    public async Task Switching_a_route_moves_every_request_after_the_acknowledgement_to_the_new_upstream()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, edge.V1));
        Assert.Equal("v1", await edge.GetTextAsync(host));

        var version = await edge.SwitchAsync(id, host, edge.V2);
        await edge.WaitForAcknowledgementAsync(id, version);

        for (var i = 0; i < 20; i++) Assert.Equal("v2", await edge.GetTextAsync(host));
    }

    [Fact]
    public async Task A_host_with_a_port_in_the_Host_header_is_routed_like_the_bare_host()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, edge.V1));

        Assert.Equal("v1", await edge.GetTextAsync($"{host}:5090"));
    }

    [Fact]
    public async Task An_unknown_host_answers_404_with_a_short_plain_text_page()
    {
        using var response = await edge.GetAsync("nothing-here.localhost", "/favicon.ico");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("No environment at nothing-here.localhost", (await response.Content.ReadAsStringAsync()).Trim());
    }

    [Fact]
    public async Task The_health_endpoint_answers_on_any_host()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, edge.V1));

        Assert.Equal("ok", await edge.GetTextAsync(host, "/_edge/healthz"));
        Assert.Equal("ok", await edge.GetTextAsync("unknown.localhost", "/_edge/healthz"));
    }

    [Fact]
    public async Task Two_upstreams_both_receive_traffic()
    {
        await using var a = await Upstream.StartAsync("replica");
        await using var b = await Upstream.StartAsync("replica");
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, a, b));

        for (var i = 0; i < 40; i++) Assert.Equal("replica", await edge.GetTextAsync(host));

        Assert.Equal(40, a.Served + b.Served);
        Assert.InRange(a.Served, 10, 30);
        Assert.InRange(b.Served, 10, 30);
    }

    [Fact]
    public async Task A_deleted_route_answers_404_once_the_edge_is_notified()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, edge.V1));
        Assert.Equal("v1", await edge.GetTextAsync(host));

        await edge.DeleteRouteAsync(id);

        await Eventually(async () =>
        {
            using var response = await edge.GetAsync(host);
            return response.StatusCode == HttpStatusCode.NotFound;
        });
    }

    [Fact]
    public async Task An_upstream_that_is_down_answers_502()
    {
        var gone = await Upstream.StartAsync("gone");
        var address = gone.Address;
        await gone.DisposeAsync();
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, [address]));

        using var response = await edge.GetAsync(host);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
    }

    [Fact]
    public async Task A_row_the_edge_cannot_serve_is_left_out_and_not_acknowledged_while_the_others_switch()
    {
        var (bad, badHost) = await edge.CreateEnvironmentAsync();
        var (good, goodHost) = await edge.CreateEnvironmentAsync();

        var badVersion = await edge.SwitchAsync(bad, badHost, ["not a url"]);
        var goodVersion = await edge.SwitchAsync(good, goodHost, edge.V1);
        await edge.WaitForAcknowledgementAsync(good, goodVersion);

        Assert.Equal("v1", await edge.GetTextAsync(goodHost));
        await Assert.ThrowsAsync<TimeoutException>(() => edge.WaitForAcknowledgementAsync(bad, badVersion, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task The_routes_page_lists_what_the_edge_serves()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, edge.V3));

        var routes = await edge.GetTextAsync("anything.localhost", "/_edge/routes");

        Assert.Contains(host, routes);
        Assert.Contains(edge.V3.Address, routes);
    }

    internal static async Task Eventually(Func<Task<bool>> condition, int timeoutMs = 10_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not hold in time.");
            await Task.Delay(20);
        }
    }
}
