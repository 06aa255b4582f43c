using Docker.DotNet.Models;
using Paddock.Backends.Docker;
using Paddock.Domain.Deployments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

[Collection(WorkerCollection.Name)]
public sealed class DeployOrderTests(WorkerWorld world)
{
    [Fact]
    public async Task A_second_deployment_replaces_the_first_after_the_edge_switched_to_it()
    {
        var environment = await world.CreateEnvironmentAsync();
        var first = await world.QueueDeploymentAsync(environment.Id);
        await world.DeployAsync(first);
        var second = await world.QueueDeploymentAsync(environment.Id, image: DemoImages.V2);

        await world.DeployAsync(second);

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(second)).Status);
        var container = Assert.Single(await world.ContainersAsync(environment.Id));
        Assert.Equal(second.ToString(), container.Labels[DockerLabels.DeploymentId]);
        Assert.Equal("paddock demo v2\n", await world.GetThroughEdgeAsync($"{environment.ResourceName}.localhost"));
        var after = await world.EnvironmentAsync(environment.Id);
        Assert.Equal(second, after.CurrentDeploymentId);
        // The image differs from the application's settings: pending changes until someone deploys them.
        Assert.Equal(Domain.Environments.EnvironmentSync.OutOfSync, after.Sync);
        var events = await world.EventsAsync(environment.Id);
        var secondEvents = events.Where(e => e.DeploymentId == second).Select(e => e.Phase).ToList();
        Assert.Equal(["switched", "probe", "succeeded"], secondEvents[^3..]);
    }

    [Fact]
    public async Task Only_the_newest_queued_deployment_runs()
    {
        var environment = await world.CreateEnvironmentAsync();
        var older = await world.QueueDeploymentAsync(environment.Id);
        var newer = await world.QueueDeploymentAsync(environment.Id, image: DemoImages.V2);

        await world.DeployAsync(older);
        Assert.Equal(DeploymentStatus.Superseded, (await world.DeploymentAsync(older)).Status);
        Assert.Equal(DeploymentStatus.Queued, (await world.DeploymentAsync(newer)).Status);
        Assert.Empty(await world.ContainersAsync(environment.Id));

        await world.DeployAsync(newer);
        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(newer)).Status);
    }

    [Fact]
    public async Task The_newest_queued_deployment_supersedes_older_queued_ones_when_it_starts()
    {
        var environment = await world.CreateEnvironmentAsync();
        var older = await world.QueueDeploymentAsync(environment.Id);
        var newer = await world.QueueDeploymentAsync(environment.Id, image: DemoImages.V2);

        await world.DeployAsync(newer);
        await world.DeployAsync(older);

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(newer)).Status);
        var superseded = await world.DeploymentAsync(older);
        Assert.Equal(DeploymentStatus.Superseded, superseded.Status);
        Assert.Contains(newer.ToString(), superseded.FailureReason);
        Assert.Single(await world.ContainersAsync(environment.Id));
    }

    [Fact]
    public async Task Jobs_for_the_same_environment_run_one_after_the_other()
    {
        var environment = await world.CreateEnvironmentAsync();
        var first = await world.QueueDeploymentAsync(environment.Id);
        var firstJob = world.DeployAsync(first);
        var duplicateJob = world.DeployAsync(first);
        await WorkerWorld.WaitUntilAsync(async () => (await world.DeploymentAsync(first)).Status != DeploymentStatus.Queued, "the first deployment starts");
        var second = await world.QueueDeploymentAsync(environment.Id, image: DemoImages.V2);
        var secondJob = world.DeployAsync(second);

        await Task.WhenAll(firstJob, duplicateJob, secondJob).WaitAsync(TimeSpan.FromSeconds(60));

        var a = await world.DeploymentAsync(first);
        var b = await world.DeploymentAsync(second);
        Assert.Equal((DeploymentStatus.Succeeded, DeploymentStatus.Succeeded), (a.Status, b.Status));
        Assert.True(b.StartedAt >= a.FinishedAt, $"second started {b.StartedAt:O}, first finished {a.FinishedAt:O}");
        var events = await world.EventsAsync(environment.Id);
        // The first's instances retire once the second is live: that is the second's rollout, not the first's run.
        var lastOfFirst = events.Last(e => e.DeploymentId == first
            && e.Phase is not (Paddock.Workers.Rollout.Retirement.RetiringPhase or Paddock.Workers.Rollout.Retirement.RetiredPhase)).Sequence;
        var firstOfSecond = events.First(e => e.DeploymentId == second).Sequence;
        Assert.True(lastOfFirst < firstOfSecond);
        Assert.Single(events, e => e.DeploymentId == first && e.Phase == "deploying");
        Assert.Equal(["deployment.succeeded"], await world.AuditActionsAsync(first.ToString()));
    }
}
