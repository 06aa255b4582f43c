using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paddock.Domain.Edge;
using Paddock.Persistence;
using Paddock.Workers.Deployments;
using Paddock.Workers.Rollout;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

/// <summary>The one statement between a healthy instance and the user's first answer from it
/// (<see cref="EdgeSwitch"/>): it refuses a deployment asked to stop, and its notice carries the route it wrote in
/// the form the edge reads (<see cref="EdgeRouteNotice"/>, the contract the edge parses with).</summary>
[Collection(WorkerCollection.Name)]
public sealed class EdgeSwitchStatementTests(WorkerWorld world)
{
    private static readonly string[] Upstreams = ["http://127.0.0.1:1", "http://127.0.0.1:2"];

    [Fact]
    public async Task The_switch_of_a_deployment_asked_to_stop_writes_no_route_and_sends_no_notice()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        await world.MarkCancelRequestedAsync(deploymentId);

        var (version, notices) = await SwitchAsync(environment.Id, edge => edge.PointUnlessStoppedAsync(environment.Id, "stopped.localhost", deploymentId, Upstreams, default));

        Assert.Null(version);
        Assert.Empty(notices);
        Assert.False(await world.WithDb(db => db.EdgeRoutes.AnyAsync(r => r.EnvironmentId == environment.Id)));
    }

    [Fact]
    public async Task The_switch_of_an_environment_being_deleted_writes_no_route()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        await world.BeginDeletionAsync(environment.Id);

        var (version, _) = await SwitchAsync(environment.Id, edge => edge.PointUnlessStoppedAsync(environment.Id, "deleting.localhost", deploymentId, Upstreams, default));

        Assert.Null(version);
        // Putting a previous route back is not a deployment going live: it is written whatever the deployment's state.
        var restored = await SwitchAsync(environment.Id, async edge => (long?)await edge.PointAsync(environment.Id, "deleting.localhost", deploymentId, Upstreams, default));
        Assert.Equal(1, restored.Version);
    }

    [Fact]
    public async Task The_notice_of_a_switch_carries_the_route_it_wrote()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        var host = $"{environment.ResourceName}.localhost";

        await SwitchAsync(environment.Id, edge => edge.PointUnlessStoppedAsync(environment.Id, host, deploymentId, Upstreams, default));
        var (version, notices) = await SwitchAsync(environment.Id, edge => edge.PointUnlessStoppedAsync(environment.Id, host, deploymentId, Upstreams.Reverse().ToArray(), default));

        Assert.Equal(2, version);
        var notice = EdgeRouteNotice.Parse(Assert.Single(notices));
        Assert.NotNull(notice);
        Assert.Equal(environment.Id, notice.EnvironmentId);
        var route = Assert.IsType<NoticedRoute>(notice.Route);
        Assert.Equal((environment.Id, host, deploymentId, 2L), (route.EnvironmentId, route.Host, route.DeploymentId, route.Version));
        Assert.Equal(Upstreams.Reverse(), route.Upstreams);
    }

    [Fact]
    public async Task A_route_too_big_for_a_notice_is_announced_by_its_environment_id()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        var many = Enumerable.Range(10_000, 400).Select(port => $"http://127.0.0.1:{port}").ToArray();

        var (version, notices) = await SwitchAsync(environment.Id, edge => edge.PointUnlessStoppedAsync(environment.Id, "big.localhost", deploymentId, many, default));

        Assert.Equal(1, version);
        var notice = EdgeRouteNotice.Parse(Assert.Single(notices));
        Assert.Equal(EdgeRouteNotice.ReadRow(environment.Id), notice);
    }

    /// <summary>Runs <paramref name="write"/> with an <see cref="EdgeSwitch"/> of the workers and returns its version with
    /// the payloads of the edge notices sent for the environment meanwhile.</summary>
    private async Task<(long? Version, List<string> Notices)> SwitchAsync(Guid environmentId, Func<EdgeSwitch, Task<long?>> write)
    {
        var notices = new List<string>();
        await using var listener = new NpgsqlConnection(world.ConnectionString);
        await listener.OpenAsync();
        listener.Notification += (_, e) => { lock (notices) notices.Add(e.Payload); };
        await using (var listen = new NpgsqlCommand($"LISTEN {EdgeRouteNotice.Channel}", listener)) await listen.ExecuteNonQueryAsync();

        long? version;
        await using (var scope = world.Host.Services.CreateAsyncScope())
            version = await write(scope.ServiceProvider.GetRequiredService<EdgeSwitch>());

        // A notice is sent at commit; a round trip on the listening connection afterwards has received it.
        await using (var ping = new NpgsqlCommand("SELECT 1", listener)) await ping.ExecuteScalarAsync();
        lock (notices) return (version, notices.Where(n => EdgeRouteNotice.Parse(n)?.EnvironmentId == environmentId).ToList());
    }
}
