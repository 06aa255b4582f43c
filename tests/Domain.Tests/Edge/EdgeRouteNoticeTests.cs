using Paddock.Domain.Edge;

namespace Paddock.Domain.Tests.Edge;

/// <summary>The route notice between workers and edge is one type: what <see cref="EdgeRouteNotice.ToPayload"/> writes,
/// <see cref="EdgeRouteNotice.Parse"/> reads back unchanged.</summary>
public class EdgeRouteNoticeTests
{
    private static readonly NoticedRoute Route =
        new(Guid.NewGuid(), "shop-staging.localhost", Guid.NewGuid(), ["http://127.0.0.1:32001", "http://127.0.0.1:32002"], 7);

    [Fact]
    public void A_notice_carrying_a_route_reads_back_as_the_same_route()
    {
        var parsed = EdgeRouteNotice.Parse(EdgeRouteNotice.Carrying(Route).ToPayload());

        Assert.NotNull(parsed);
        Assert.Equal(Route.EnvironmentId, parsed.EnvironmentId);
        var route = Assert.IsType<NoticedRoute>(parsed.Route);
        Assert.Equal((Route.EnvironmentId, Route.Host, Route.DeploymentId, Route.Version), (route.EnvironmentId, route.Host, route.DeploymentId, route.Version));
        Assert.Equal(Route.Upstreams, route.Upstreams);
    }

    [Fact]
    public void A_notice_to_read_the_row_is_the_bare_environment_id()
    {
        var notice = EdgeRouteNotice.ReadRow(Route.EnvironmentId);

        Assert.Equal(Route.EnvironmentId.ToString(), notice.ToPayload());
        Assert.Equal(notice, EdgeRouteNotice.Parse(notice.ToPayload()));
    }

    [Fact]
    public void A_route_too_big_for_a_notice_goes_as_its_environment_id()
    {
        var big = Route with { Upstreams = Enumerable.Range(10_000, 400).Select(port => $"http://127.0.0.1:{port}").ToArray() };

        var payload = EdgeRouteNotice.Carrying(big).ToPayload();

        Assert.Equal(EdgeRouteNotice.ReadRow(big.EnvironmentId), EdgeRouteNotice.Parse(payload));
    }

    [Theory]
    [InlineData("not a notice")]
    [InlineData("{}")]
    [InlineData("{\"environmentId\":\"6f1c2a8e-0000-4000-8000-000000000001\",\"version\":1}")]
    public void A_payload_of_neither_form_is_no_notice(string payload) => Assert.Null(EdgeRouteNotice.Parse(payload));
}
