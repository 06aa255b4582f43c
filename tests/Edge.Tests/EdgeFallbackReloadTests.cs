using Paddock.Edge.Tests.Infrastructure;

namespace Paddock.Edge.Tests;

public sealed class FastReloadEdgeFixture : EdgeFixture
{
    protected override IReadOnlyDictionary<string, string?> EdgeSettings => new Dictionary<string, string?>
    {
        ["Edge:FullReloadSeconds"] = "1",
    };
}

public class EdgeFallbackReloadTests(FastReloadEdgeFixture edge) : IClassFixture<FastReloadEdgeFixture>
{
    [Fact]
    public async Task A_switch_whose_notice_never_came_is_picked_up_by_the_periodic_full_reload()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();

        var version = await edge.SwitchAsync(id, host, [edge.V2.Address], notify: false);

        await edge.WaitForAcknowledgementAsync(id, version, TimeSpan.FromSeconds(5));
        Assert.Equal("v2", await edge.GetTextAsync(host));
    }
}
