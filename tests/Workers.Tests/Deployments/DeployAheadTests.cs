using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Backends.Docker;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

/// <summary>A plain deployment's backend work begins while its Deploying transition is still being written
/// (<c>DeployJob.DeployAsync</c>). These tests hold the deployment's row locked, so that the transition waits.</summary>
[Collection(WorkerCollection.Name)]
public sealed class DeployAheadTests(WorkerWorld world)
{
    [Fact]
    public async Task The_backend_starts_before_the_transition_commits_and_the_switch_waits_for_it()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        Task job;
        await using (var held = await HoldRowAsync(deploymentId))
        {
            job = world.DeployAsync(deploymentId);
            await WaitForInstanceAsync(environment.Id, deploymentId);
            Assert.Equal(DeploymentStatus.Queued, (await world.DeploymentAsync(deploymentId)).Status);
            // However long the transition takes, traffic does not move to a deployment nobody sees as Deploying.
            Assert.False(await WorkerWorld.HoldsWithinAsync(() =>
                world.WithDb(db => db.EdgeRoutes.AnyAsync(r => r.EnvironmentId == environment.Id)), seconds: 2));
            await held.Transaction.RollbackAsync();
        }
        await job.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(deploymentId)).Status);
        var phases = (await world.EventsAsync(environment.Id)).Select(e => e.Phase).ToList();
        Assert.Equal("deploying", phases[0]);
        Assert.True(phases.IndexOf("create") > 0, string.Join(",", phases));
        Assert.Equal("paddock demo v1\n", await world.GetThroughEdgeAsync($"{environment.ResourceName}.localhost"));
    }

    [Fact]
    public async Task A_cancel_that_wins_the_race_stops_the_backend_and_removes_what_it_made()
    {
        var environment = await world.CreateEnvironmentAsync();
        var firstId = await world.QueueDeploymentAsync(environment.Id);
        await world.DeployAsync(firstId);
        var secondId = await world.QueueDeploymentAsync(environment.Id, DemoImages.V2);
        var eventsBefore = (await world.EventsAsync(environment.Id)).Count;

        Task job;
        await using (var held = await HoldRowAsync(secondId))
        {
            job = world.DeployAsync(secondId);
            await WaitForInstanceAsync(environment.Id, secondId);
            // The portal's cancel of a queued deployment, committed before the job's transition can write.
            var deployment = await held.Db.Deployments.SingleAsync(d => d.Id == secondId);
            Assert.True(deployment.RequestCancel(DateTime.UtcNow));
            await held.Db.SaveChangesAsync();
            await held.Transaction.CommitAsync();
        }
        await job.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(DeploymentStatus.Cancelled, (await world.DeploymentAsync(secondId)).Status);
        var container = Assert.Single(await world.ContainersAsync(environment.Id));
        Assert.Equal(firstId.ToString(), container.Labels[DockerLabels.DeploymentId]);
        var after = await world.EnvironmentAsync(environment.Id);
        Assert.Equal(EnvironmentStatus.Running, after.Status);
        Assert.Equal(firstId, after.CurrentDeploymentId);
        Assert.Equal("paddock demo v1\n", await world.GetThroughEdgeAsync($"{environment.ResourceName}.localhost"));
        // The backend's steps of a deployment that never started are not in its history.
        Assert.Equal(eventsBefore, (await world.EventsAsync(environment.Id)).Count);
        Assert.Empty(await world.AuditActionsAsync(secondId.ToString()));
    }

    private async Task WaitForInstanceAsync(Guid environmentId, Guid deploymentId) =>
        await WorkerWorld.WaitUntilAsync(async () => (await world.ContainersAsync(environmentId))
            .Any(c => c.Labels[DockerLabels.DeploymentId] == deploymentId.ToString()), "the backend created the deployment's instance");

    private async Task<HeldRow> HoldRowAsync(Guid deploymentId)
    {
        var scope = world.Host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM deployments WHERE id = {deploymentId} FOR UPDATE");
        return new HeldRow(scope, db, transaction);
    }

    /// <summary>A deployment row locked by an open transaction: the job's UPDATE of it waits until that ends.</summary>
    private sealed record HeldRow(AsyncServiceScope Scope, PaddockDbContext Db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction Transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Scope.DisposeAsync();
        }
    }
}
