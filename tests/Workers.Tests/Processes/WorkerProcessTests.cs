using Microsoft.EntityFrameworkCore;
using Paddock.Backends.Docker;
using Paddock.Domain.Deployments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Processes;

/// <summary>Worker processes as they run in production: separate OS processes sharing only Postgres and the engine.</summary>
[Collection(WorkerCollection.Name)]
public sealed class WorkerProcessTests(WorkerWorld world)
{
    // The instance only starts answering after a few seconds: time to kill its worker between "container
    // exists" and "traffic switched".
    private static readonly string[] SlowStart = ["/bin/sh", "-c", "trap 'exit 0' TERM; sleep 4; /bin/httpd -f -p 8080 -h /www & wait"];

    private Dictionary<string, string?> WorkerSettings() => new(world.Settings())
    {
        ["Deploy:SweepIntervalSeconds"] = "1",
        ["Deploy:StaleAfterSeconds"] = "3",
        ["Deploy:HeartbeatSeconds"] = "1",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    [Fact]
    public async Task A_worker_killed_before_the_switch_leaves_exactly_one_serving_deployment_after_another_worker_resumes()
    {
        var environment = await world.CreateEnvironmentAsync(configure: app => app.Command = SlowStart);
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        await using var doomed = WorkerProcess.Start(WorkerSettings());
        WorkerProcess.EnqueueDeploy(world.ConnectionString, deploymentId);

        await WorkerWorld.WaitUntilAsync(async () => (await world.ContainersAsync(environment.Id)).Count > 0, "the new container exists", 60)
            .ContinueWith(t => t.IsFaulted ? throw new InvalidOperationException(doomed.Output(), t.Exception) : t);
        Assert.False(await world.WithDb(db => db.EdgeRoutes.AnyAsync(r => r.EnvironmentId == environment.Id)), "switched before the kill");
        await doomed.KillAsync();
        Assert.Equal(DeploymentStatus.Deploying, (await world.DeploymentAsync(deploymentId)).Status);

        await using var successor = WorkerProcess.Start(WorkerSettings());
        await WorkerWorld.WaitUntilAsync(async () => (await world.DeploymentAsync(deploymentId)).Status.IsTerminal(),
            "the deployment ends", 90).ContinueWith(t => t.IsFaulted ? throw new InvalidOperationException(successor.Output(), t.Exception) : t);

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(deploymentId)).Status);
        var container = Assert.Single(await world.ContainersAsync(environment.Id));
        Assert.Equal(deploymentId.ToString(), container.Labels[DockerLabels.DeploymentId]);
        Assert.Equal("running", container.State);
        Assert.Equal("paddock demo v1\n", await world.GetThroughEdgeAsync($"{environment.ResourceName}.localhost"));
        Assert.Equal(["deployment.succeeded"], await world.AuditActionsAsync(deploymentId.ToString()));
        Assert.Contains(await world.EventsAsync(environment.Id), e => e.Phase == "resumed");
    }

    [Fact]
    public async Task Two_worker_processes_never_deploy_the_same_environment_at_once()
    {
        var environment = await world.CreateEnvironmentAsync(configure: app => app.Command = SlowStart);
        await using var one = WorkerProcess.Start(WorkerSettings());
        await using var two = WorkerProcess.Start(WorkerSettings());
        using var watching = new CancellationTokenSource();
        var mostAtOnce = 0;
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                var deploying = await world.WithDb(db => db.Deployments.CountAsync(d => d.EnvironmentId == environment.Id && d.Status == DeploymentStatus.Deploying));
                mostAtOnce = Math.Max(mostAtOnce, deploying);
                await Task.Delay(20);
            }
        });

        var first = await world.QueueDeploymentAsync(environment.Id);
        WorkerProcess.EnqueueDeploy(world.ConnectionString, first);
        WorkerProcess.EnqueueDeploy(world.ConnectionString, first);
        await WorkerWorld.WaitUntilAsync(async () => (await world.DeploymentAsync(first)).Status != DeploymentStatus.Queued, "the first deployment starts", 60)
            .ContinueWith(t => t.IsFaulted ? throw new InvalidOperationException(one.Output() + "\n---\n" + two.Output(), t.Exception) : t);
        var second = await world.QueueDeploymentAsync(environment.Id, image: DemoImages.V2);
        WorkerProcess.EnqueueDeploy(world.ConnectionString, second);
        WorkerProcess.EnqueueDeploy(world.ConnectionString, second);
        await WorkerWorld.WaitUntilAsync(async () => (await world.DeploymentAsync(second)).Status.IsTerminal(), "the second deployment ends", 90)
            .ContinueWith(t => t.IsFaulted ? throw new InvalidOperationException(one.Output() + "\n---\n" + two.Output(), t.Exception) : t);
        await watching.CancelAsync();
        await watcher;

        var a = await world.DeploymentAsync(first);
        var b = await world.DeploymentAsync(second);
        Assert.Equal((DeploymentStatus.Succeeded, DeploymentStatus.Succeeded), (a.Status, b.Status));
        Assert.Equal(1, mostAtOnce);
        Assert.True(b.StartedAt >= a.FinishedAt, $"second started {b.StartedAt:O}, first finished {a.FinishedAt:O}");
        var events = await world.EventsAsync(environment.Id);
        Assert.Single(events, e => e.DeploymentId == first && e.Phase == "deploying");
        Assert.Single(events, e => e.DeploymentId == second && e.Phase == "deploying");
        // The first's instance retires in the background once the second is live.
        await WorkerWorld.WaitUntilAsync(async () => (await world.DeploymentAsync(first)).RetiredAt is not null, "the first deployment retires");
        Assert.Single(await world.ContainersAsync(environment.Id));
    }
}
