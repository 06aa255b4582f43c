using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Workers.Rollout;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Rollout;

/// <summary>The route notice is one contract end to end: what the workers' <see cref="EdgeSwitch"/> sends, the real edge
/// proxy hears, serves and acknowledges.</summary>
[Collection(WorkerCollection.Name)]
public sealed class EdgeRouteNoticeDeliveryTests(WorkerWorld world)
{
    [Fact]
    public async Task A_route_the_workers_point_is_served_and_acknowledged_by_the_edge_from_its_notice()
    {
        await using var upstream = await StartUpstreamAsync("served through the edge");
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        var host = $"{environment.ResourceName}.localhost";

        await using var scope = world.Host.Services.CreateAsyncScope();
        var edge = scope.ServiceProvider.GetRequiredService<EdgeSwitch>();
        var version = await edge.PointAsync(environment.Id, host, deploymentId, [upstream.Urls.Single()], default);

        // The edge reads the whole table only every 30 s; within the ack timeout (3 s here) only the notice can wake it.
        Assert.True(await edge.WaitForAckAsync(environment.Id, version, default), "the edge did not acknowledge the route");
        Assert.Equal("served through the edge", await world.GetThroughEdgeAsync(host));
    }

    private static async Task<WebApplication> StartUpstreamAsync(string answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/", () => answer);
        await app.StartAsync();
        return app;
    }
}
