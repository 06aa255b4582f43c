using Paddock.Backends.Docker;
using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

/// <summary>A deployment of a workload with two containers, from the database to the engine and through the edge.</summary>
[Collection(WorkerCollection.Name)]
public sealed class SidecarDeployTests(WorkerWorld world)
{
    [Fact]
    public async Task A_deployment_runs_every_container_of_the_workload_and_they_talk_over_localhost()
    {
        // The sidecar writes a page from its own variable and secret and serves it on 8081; the main container serves
        // what it fetched from localhost:8081 on 8080, the port the edge routes to.
        var environment = await world.CreateEnvironmentAsync(configure: app =>
        {
            app.Command = ["/bin/sh", "-c",
                "until /bin/busybox wget -q -O /www/index.html http://127.0.0.1:8081/; do sleep 0.2; done; exec httpd -f -p 8080 -h /www"];
            app.Sidecars =
            [
                new SidecarContainer("helper", DemoImages.V2, ["/bin/sh", "-c"],
                    ["echo \"helper says $GREETING with $TOKEN\" > /www/index.html; exec httpd -f -p 8081 -h /www"],
                    new Dictionary<string, string> { ["GREETING"] = "hello" }, ["TOKEN"], ResourceLimits.None),
            ];
        }, secrets: new Dictionary<string, string> { ["TOKEN"] = "t0ken" });
        var deployment = await world.QueueDeploymentAsync(environment.Id);

        await world.DeployAsync(deployment);

        var deployed = await world.DeploymentAsync(deployment);
        Assert.True(deployed.Status == DeploymentStatus.Succeeded, deployed.FailureReason);
        Assert.Equal("helper", Assert.Single(deployed.Snapshot.Sidecars!).Name);
        Assert.Equal("helper says hello with t0ken\n", await world.GetThroughEdgeAsync($"{environment.ResourceName}.localhost"));
        var containers = await world.ContainersAsync(environment.Id);
        Assert.Equal(2, containers.Count);
        Assert.Single(containers, c => c.Labels.TryGetValue(DockerLabels.Sidecar, out var name) && name == "helper");

        await world.BeginDeletionAsync(environment.Id);
        await world.TearDownAsync(environment.Id);

        Assert.Empty(await world.ContainersAsync(environment.Id));
    }
}
