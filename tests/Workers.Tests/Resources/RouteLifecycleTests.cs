using System.Net;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Deployments;
using Paddock.Domain.Resources;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Resources;

/// <summary>The dns, route and service-port resource types through the real deploy and teardown jobs, on real Podman
/// and the real edge: a host name given to the environment, served by the edge at its path; a second environment
/// refused the same host and path; a removed route no longer served; one environment's container fetching from
/// another's through the address a service-port gave.</summary>
[Collection(WorkerCollection.Name)]
public sealed class RouteLifecycleTests(WorkerWorld world)
{
    [Fact]
    public async Task A_dns_name_routed_by_a_route_is_served_by_the_edge_until_the_route_is_removed()
    {
        var environment = await world.CreateEnvironmentAsync();
        var app = await world.WithDb(db => db.Applications.AsNoTracking().SingleAsync(a => a.Id == environment.ApplicationId));
        var host = $"www-{app.Name.Value}-dev.localhost";

        var first = await QueueAsync(environment.Id, DnsAndRoute("${resources.www.host}", "/"));
        await world.DeployAsync(first);

        var deployed = await world.DeploymentAsync(first);
        Assert.True(deployed.Status == DeploymentStatus.Succeeded, deployed.FailureReason);
        var resources = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().Where(r => r.EnvironmentId == environment.Id).ToListAsync());
        Assert.Equal(host, resources.Single(r => r.Type == "dns").Values["host"]);
        Assert.All(resources, r => Assert.Equal(ResourceStatus.Ready, r.Status));
        await WorkerWorld.WaitUntilAsync(async () => await TextAsync(host, "/") is "paddock demo v1\n", $"{host} served through the edge");
        Assert.Equal("paddock demo v1\n", await world.GetThroughEdgeAsync($"{environment.ResourceName}.localhost"));
        var events = await world.EventsAsync(environment.Id);
        Assert.Contains(events, e => e.Message == "host name www ready");
        Assert.Contains(events, e => e.Message == "route web ready");

        // The same host and path for another environment: refused, with the holder named.
        var other = await world.CreateEnvironmentAsync();
        var clash = await QueueAsync(other.Id, [Route("web", host, "/")]);
        await world.DeployAsync(clash);
        var refused = await world.DeploymentAsync(clash);
        Assert.Equal(DeploymentStatus.Failed, refused.Status);
        Assert.Contains($"is already routed to environment dev of {app.Name.Value}", refused.FailureReason);

        // The route removed from the workload: the host is no longer served (the dns name stays the environment's).
        var second = await QueueAsync(environment.Id, [Dns()]);
        // Only a plan's deployment removes what its workload no longer declares.
        await world.WithDb(db => db.Database.ExecuteSqlAsync($"UPDATE deployments SET plan_id = {Guid.NewGuid()} WHERE id = {second}"));
        await world.DeployAsync(second);
        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(second)).Status);
        await WorkerWorld.WaitUntilAsync(async () => await StatusAsync(host) == HttpStatusCode.NotFound, $"{host} no longer served");
        Assert.False(await world.WithDb(db => db.HostRoutes.AnyAsync(r => r.EnvironmentId == environment.Id)));

        // Routed again, then the environment deleted: the route goes with it.
        var third = await QueueAsync(environment.Id, DnsAndRoute("${resources.www.host}", "/"));
        await world.DeployAsync(third);
        await WorkerWorld.WaitUntilAsync(async () => await StatusAsync(host) == HttpStatusCode.OK, $"{host} served again");
        Assert.Equal(host, (await world.WithDb(db => db.EnvironmentResources.AsNoTracking()
            .SingleAsync(r => r.EnvironmentId == environment.Id && r.Type == "dns"))).Values["host"]);
        await world.BeginDeletionAsync(environment.Id);
        await world.TearDownAsync(environment.Id);
        Assert.False(await world.WithDb(db => db.HostRoutes.AnyAsync(r => r.EnvironmentId == environment.Id)));
        Assert.Equal(HttpStatusCode.NotFound, await StatusAsync(host));
    }

    [Fact]
    public async Task A_service_port_lets_a_container_fetch_from_another_environments_container()
    {
        var target = await world.CreateEnvironmentAsync(DemoImages.V2);
        await world.DeployAsync(await world.QueueDeploymentAsync(target.Id));
        var targetApp = await world.WithDb(db => db.Applications.AsNoTracking().SingleAsync(a => a.Id == target.ApplicationId));

        // The consumer is another app of the same team: the world makes a team per environment, so move it there.
        var consumer = await world.CreateEnvironmentAsync();
        await world.WithDb(db => db.Database.ExecuteSqlAsync(
            $"UPDATE applications SET team_id = {targetApp.TeamId} WHERE id = {consumer.ApplicationId}"));
        var queued = await QueueAsync(consumer.Id,
            [new { name = "api", type = "service-port", @class = ResourceClass.DefaultName, resourceId = "service-port.default#web.api",
                   @params = $$"""{"workload":"{{targetApp.Name.Value}}","port":8080}""" }],
            command: ["/bin/sh", "-c", "/bin/busybox wget -q -O /www/index.html \"http://$API_HOST:$API_PORT/\" && exec httpd -f -p 8080 -h /www"],
            resourceVariables: new Dictionary<string, string> { ["API_HOST"] = "${resources.api.hostname}", ["API_PORT"] = "${resources.api.port}" });
        await world.DeployAsync(queued);

        var deployed = await world.DeploymentAsync(queued);
        Assert.True(deployed.Status == DeploymentStatus.Succeeded, deployed.FailureReason);
        var address = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.EnvironmentId == consumer.Id));
        Assert.Equal((target.ResourceName.Value, "8080"), (address.Values["hostname"], address.Values["port"]));
        Assert.Equal("paddock demo v2\n", await world.GetThroughEdgeAsync($"{consumer.ResourceName}.localhost"));

        // A workload that does not exist: refused with the reason, before any container starts.
        var missing = await QueueAsync(consumer.Id,
            [new { name = "api", type = "service-port", @class = ResourceClass.DefaultName, resourceId = "service-port.default#web.nothing",
                   @params = """{"workload":"nothing-here"}""" }]);
        await world.DeployAsync(missing);
        var failed = await world.DeploymentAsync(missing);
        Assert.Equal(DeploymentStatus.Failed, failed.Status);
        Assert.Contains("the team has no app 'nothing-here'", failed.FailureReason);

        // The target's teardown takes its network away although the consumer's container joined it.
        await world.BeginDeletionAsync(target.Id);
        await world.TearDownAsync(target.Id);
        Assert.False(await world.NetworkExistsAsync(target.ResourceName.Value));
    }

    private static object Dns() =>
        new { name = "www", type = "dns", @class = ResourceClass.DefaultName, resourceId = "dns.default#web.www" };

    private static object Route(string name, string host, string path) =>
        new { name, type = "route", @class = ResourceClass.DefaultName, resourceId = $"route.default#web.{name}",
              @params = System.Text.Json.JsonSerializer.Serialize(new { host, path, port = 8080 }) };

    private static object[] DnsAndRoute(string host, string path) => [Dns(), Route("web", host, path)];

    /// <summary>A deployment carrying these resources, as the portal snapshots a workload that declares them.</summary>
    private async Task<Guid> QueueAsync(Guid environmentId, object[] resources, string[]? command = null, Dictionary<string, string>? resourceVariables = null)
    {
        var queued = await world.QueueDeploymentAsync(environmentId);
        var patch = new Dictionary<string, object> { ["resources"] = resources };
        if (command is not null) patch["command"] = command;
        if (resourceVariables is not null) patch["resourceVariables"] = resourceVariables;
        await world.WithDb(db => db.Database.ExecuteSqlAsync(
            $"UPDATE deployments SET snapshot = snapshot || {System.Text.Json.JsonSerializer.Serialize(patch)}::jsonb WHERE id = {queued}"));
        return queued;
    }

    private async Task<HttpStatusCode> StatusAsync(string host)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, world.Edge.Address);
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string?> TextAsync(string host, string path)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(world.Edge.Address, path));
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
    }
}
