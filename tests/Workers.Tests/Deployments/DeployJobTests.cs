using Microsoft.EntityFrameworkCore;
using Paddock.Backends.Docker;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

[Collection(WorkerCollection.Name)]
public sealed class DeployJobTests(WorkerWorld world)
{
    [Fact]
    public async Task A_deployment_runs_labelled_containers_and_the_environment_answers_at_its_url()
    {
        var environment = await world.CreateEnvironmentAsync(secrets: new Dictionary<string, string> { ["API_KEY"] = "s3cret-value" });
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await world.DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        Assert.NotNull(deployment.FinishedAt);
        var after = await world.EnvironmentAsync(environment.Id);
        Assert.Equal(EnvironmentStatus.Running, after.Status);
        Assert.Equal(deploymentId, after.CurrentDeploymentId);
        Assert.Equal($"http://{environment.ResourceName}.localhost:5090/", after.Url);
        Assert.Equal(EnvironmentSync.InSync, after.Sync);

        var container = Assert.Single(await world.ContainersAsync(environment.Id));
        Assert.Equal("running", container.State);
        Assert.Equal(deploymentId.ToString(), container.Labels[DockerLabels.DeploymentId]);
        Assert.Equal(environment.ResourceName.Value.Split('-')[0], container.Labels[DockerLabels.App]);
        Assert.Equal("dev", container.Labels[DockerLabels.Environment]);
        var inspected = await world.Engine.Containers.InspectContainerAsync(container.ID);
        Assert.Contains("API_KEY=s3cret-value", inspected.Config!.Env);

        Assert.Equal("paddock demo v1\n", await world.GetThroughEdgeAsync($"{environment.ResourceName}.localhost"));

        var events = await world.EventsAsync(environment.Id);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        var phases = events.Select(e => e.Phase).ToList();
        Assert.Equal("deploying", phases[0]);
        Assert.True(phases.IndexOf("create") < phases.IndexOf("start") && phases.IndexOf("start") < phases.IndexOf("switched"), string.Join(",", phases));
        Assert.Equal(["switched", "probe", "succeeded"], phases[^3..]);
        Assert.DoesNotContain(events, e => e.Message.Contains("s3cret-value"));
        Assert.Equal(["deployment.succeeded"], await world.AuditActionsAsync(deploymentId.ToString()));
    }

    [Fact]
    public async Task A_job_that_arrives_before_its_deployment_is_committed_waits_for_it_and_runs_it()
    {
        // The portal hands the job over while its transaction is still open (DeploymentQueue.HandOverWhileAsync).
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = Guid.CreateVersion7();

        var job = world.DeployAsync(deploymentId);
        await Task.Delay(300);
        Assert.False(job.IsCompleted);
        await world.QueueDeploymentAsync(environment.Id, id: deploymentId);
        await job.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(deploymentId)).Status);
    }

    [Fact]
    public async Task A_job_whose_deployment_was_never_committed_gives_up_after_a_short_wait()
    {
        // The portal's transaction rolled back after the hand-over: there is nothing to run and nothing to fail.
        var deploymentId = Guid.CreateVersion7();
        var waited = System.Diagnostics.Stopwatch.StartNew();

        await world.DeployAsync(deploymentId).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.InRange(waited.Elapsed, Paddock.Workers.Deployments.DeployJob.UncommittedWait, TimeSpan.FromSeconds(30));
        Assert.False(await world.WithDb(db => db.Deployments.AnyAsync(d => d.Id == deploymentId)));
    }

    [Fact]
    public async Task Running_a_finished_deployment_again_changes_nothing()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        await world.DeployAsync(deploymentId);
        var eventsBefore = (await world.EventsAsync(environment.Id)).Count;

        await world.DeployAsync(deploymentId);

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(deploymentId)).Status);
        Assert.Equal(eventsBefore, (await world.EventsAsync(environment.Id)).Count);
        Assert.Single(await world.ContainersAsync(environment.Id));
        Assert.Equal(["deployment.succeeded"], await world.AuditActionsAsync(deploymentId.ToString()));
    }

    [Fact]
    public async Task A_deployment_runs_the_secret_versions_it_pinned_not_the_latest_ones()
    {
        var environment = await world.CreateEnvironmentAsync(secrets: new Dictionary<string, string> { ["TOKEN"] = "first" });
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        await world.WithDb(async db =>
        {
            var appId = (await world.EnvironmentAsync(environment.Id)).ApplicationId;
            var protector = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Persistence.Secrets.SecretProtector>(world.Host.Services);
            db.SecretVersions.Add(new Domain.Secrets.SecretVersion(appId, null, "TOKEN", 2, protector.Protect("second"), DateTime.UtcNow, "test"));
            await db.SaveChangesAsync();
        });

        await world.DeployAsync(deploymentId);

        var container = Assert.Single(await world.ContainersAsync(environment.Id));
        var inspected = await world.Engine.Containers.InspectContainerAsync(container.ID);
        Assert.Contains("TOKEN=first", inspected.Config!.Env);
        // The settings moved on since the snapshot: the environment shows pending changes.
        Assert.Equal(EnvironmentSync.OutOfSync, (await world.EnvironmentAsync(environment.Id)).Sync);
    }

    [Fact]
    public async Task Every_replica_becomes_an_upstream_of_the_environment_route()
    {
        var environment = await world.CreateEnvironmentAsync(configure: app => app.Replicas = 2);
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await world.DeployAsync(deploymentId);

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(deploymentId)).Status);
        Assert.Equal(2, (await world.ContainersAsync(environment.Id)).Count);
        var route = await world.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.EdgeRoutes, r => r.EnvironmentId == environment.Id));
        Assert.Equal(2, route.Upstreams.Length);
        Assert.All(route.Upstreams, u => Assert.StartsWith("http://127.0.0.1:", u));
        Assert.Equal(deploymentId, route.DeploymentId);
        Assert.True(route.AppliedVersion >= route.Version);
    }

    [Fact]
    public async Task A_probe_that_never_passes_fails_the_deployment_when_its_timeout_runs_out()
    {
        var environment = await world.CreateEnvironmentAsync(configure: app =>
            app.HealthCheck = new Domain.Applications.HealthCheck(Domain.Applications.HealthCheckKind.Http, "/never-there", IntervalSeconds: 1, TimeoutSeconds: 2));
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await world.DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        Assert.Contains("/never-there", deployment.FailureReason);
        Assert.Empty(await world.ContainersAsync(environment.Id));
    }
}
