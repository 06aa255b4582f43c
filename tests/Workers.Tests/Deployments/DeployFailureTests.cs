using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

[Collection(WorkerCollection.Name)]
public sealed class DeployFailureTests(WorkerWorld world)
{
    [Fact]
    public async Task An_image_that_does_not_exist_fails_the_deployment_and_the_environment_with_that_reason()
    {
        var environment = await world.CreateEnvironmentAsync(image: "localhost/paddock-no-such-image:9");
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await world.DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        Assert.Contains("localhost/paddock-no-such-image:9", deployment.FailureReason);
        var after = await world.EnvironmentAsync(environment.Id);
        Assert.Equal(EnvironmentStatus.Failed, after.Status);
        Assert.Equal(deployment.FailureReason, after.StatusReason);
        var last = (await world.EventsAsync(environment.Id))[^1];
        Assert.Equal(("failed", EventLevel.Error), (last.Phase, last.Level));
        Assert.Equal(["deployment.failed"], await world.AuditActionsAsync(deploymentId.ToString()));
        Assert.Empty(await world.ContainersAsync(environment.Id));
    }

    [Fact]
    public async Task A_container_that_exits_at_start_fails_the_deployment_with_its_last_log_lines()
    {
        var environment = await world.CreateEnvironmentAsync(configure: app =>
            app.Command = ["/bin/sh", "-c", "echo config file missing; exit 3"]);
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await world.DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        Assert.Contains("exited with code 3", deployment.FailureReason);
        Assert.Contains("config file missing", deployment.FailureReason);
        Assert.Equal(EnvironmentStatus.Failed, (await world.EnvironmentAsync(environment.Id)).Status);
        Assert.Empty(await world.ContainersAsync(environment.Id));
    }

    [Fact]
    public async Task An_unreachable_engine_is_retried_with_backoff_and_then_fails_the_deployment()
    {
        var environment = await world.CreateEnvironmentAsync(backend: "dead");
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await world.DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        Assert.StartsWith("engine unreachable: ", deployment.FailureReason);
        var events = await world.EventsAsync(environment.Id);
        Assert.True(events.Count(e => e.Phase == "retry") >= 2, string.Join("\n", events.Select(e => $"{e.Phase}: {e.Message}")));
        Assert.True(deployment.FinishedAt - deployment.StartedAt >= TimeSpan.FromSeconds(2.5));
    }

    [Fact]
    public async Task An_edge_that_never_takes_the_route_fails_the_deployment_and_leaves_no_route_behind()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        await world.WithoutEdgeAsync(() => world.DeployAsync(deploymentId));

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        Assert.Contains("edge did not take the new route", deployment.FailureReason);
        Assert.False(await world.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.EdgeRoutes, r => r.EnvironmentId == environment.Id)));
        Assert.Empty(await world.ContainersAsync(environment.Id));
    }

    [Fact]
    public async Task A_deployment_of_an_environment_being_deleted_is_cancelled()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        await world.BeginDeletionAsync(environment.Id);

        await world.DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Cancelled, deployment.Status);
        Assert.Equal("environment deleted", deployment.FailureReason);
        Assert.Empty(await world.ContainersAsync(environment.Id));
    }

    [Fact]
    public async Task A_cancel_requested_while_deploying_stops_the_deployment_and_removes_its_instances()
    {
        // A probe path that never answers 2xx keeps the deployment in its probe step until the cancel arrives.
        var environment = await world.CreateEnvironmentAsync(configure: app =>
            app.HealthCheck = new Domain.Applications.HealthCheck(Domain.Applications.HealthCheckKind.Http, "/never-there", IntervalSeconds: 1, TimeoutSeconds: 120));
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        var job = world.DeployAsync(deploymentId);
        await WorkerWorld.WaitUntilAsync(async () => (await world.EventsAsync(environment.Id)).Any(e => e.Phase == "probe"), "the deployment probes");
        await world.WithDb(async db =>
        {
            var deployment = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Deployments, d => d.Id == deploymentId);
            Assert.True(deployment.RequestCancel(DateTime.UtcNow));
            await db.SaveChangesAsync();
        });
        await job.WaitAsync(TimeSpan.FromSeconds(30));

        var cancelled = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Cancelled, cancelled.Status);
        Assert.Empty(await world.ContainersAsync(environment.Id));
        Assert.Equal("cancelled", (await world.EventsAsync(environment.Id))[^1].Phase);
        Assert.Equal(["deployment.cancelled"], await world.AuditActionsAsync(deploymentId.ToString()));
    }
}
