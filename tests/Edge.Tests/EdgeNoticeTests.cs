using Paddock.Domain.Edge;
using Paddock.Edge.Routing;
using Paddock.Edge.Tests.Infrastructure;

namespace Paddock.Edge.Tests;

/// <summary>A deploy's switch sends the route it wrote in its notice (<see cref="EdgeRouteNotice"/>), and the edge serves
/// that route without reading the table first.</summary>
public class EdgeNoticeTests(EdgeFixture edge) : IClassFixture<EdgeFixture>
{
    [Fact]
    public async Task A_route_carried_by_a_notice_is_served_as_it_came()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();

        // No row: only the notice knows this route.
        await edge.NotifyAsync(Payload(id, host, version: 1, edge.V2));

        await WaitUntilServesAsync(host, "v2");
    }

    [Fact]
    public async Task A_carried_route_older_than_the_one_served_is_ignored()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.SwitchAsync(id, host, edge.V1);
        await edge.SwitchAsync(id, host, edge.V1);
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, edge.V3));

        // Version 2 arriving after version 3 was read (a notice held up behind a reload).
        await edge.NotifyAsync(Payload(id, host, version: 2, edge.V2));
        // Notices are handled in order: once a later one is served, the stale one has been handled too.
        var (other, otherHost) = await edge.CreateEnvironmentAsync();
        await edge.NotifyAsync(Payload(other, otherHost, version: 1, edge.V2));
        await WaitUntilServesAsync(otherHost, "v2");

        Assert.Equal("v3", await edge.GetTextAsync(host));
    }

    [Fact]
    public void A_batch_reads_an_environment_with_a_bare_notice_and_takes_the_last_carried_route_of_the_others()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var notices = new[]
        {
            Parse(Payload(a, "a.localhost", 1, edge.V1)),
            EdgeRouteNotice.ReadRow(a),
            Parse(Payload(b, "b.localhost", 4, edge.V1)),
            Parse(Payload(b, "b.localhost", 5, edge.V2)),
        };

        var changes = EdgeRouteSync.Changes.Of(notices);

        Assert.False(changes.ReadAll);
        Assert.Equal([a], changes.ToRead);
        var carried = Assert.Single(changes.Carried);
        Assert.Equal((b, 5L, edge.V2.Address), (carried.EnvironmentId, carried.Version, carried.Upstreams.Single()));
        // A payload that is neither form (or a reconnect) asks for everything.
        Assert.True(EdgeRouteSync.Changes.Of([.. notices, EdgeRouteNotice.Parse("not a notice")]).ReadAll);
    }

    private static EdgeRouteNotice Parse(string payload) => EdgeRouteNotice.Parse(payload) ?? throw new InvalidOperationException(payload);

    /// <summary>The payload as the workers' switch writes it: through the shared contract.</summary>
    private static string Payload(Guid environmentId, string host, long version, params Upstream[] upstreams) =>
        EdgeRouteNotice.Carrying(new NoticedRoute(environmentId, host, Guid.NewGuid(), upstreams.Select(u => u.Address).ToArray(), version)).ToPayload();

    private async Task WaitUntilServesAsync(string host, string expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            using var response = await edge.GetAsync(host, "/");
            last = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode && last == expected) return;
            await Task.Delay(20);
        }
        Assert.Fail($"{host} did not answer {expected} within 10 s; last: {last}");
    }
}
