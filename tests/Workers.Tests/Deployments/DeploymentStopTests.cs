using Microsoft.EntityFrameworkCore;
using Paddock.Workers.Deployments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

/// <summary>"Must this deployment stop?", defined once in the database (<see cref="DeploymentStop"/>) for the job's
/// checks and the edge switch's guard.</summary>
[Collection(WorkerCollection.Name)]
public sealed class DeploymentStopTests(WorkerWorld world)
{
    [Fact]
    public async Task A_deployment_goes_on_until_it_is_cancelled_or_its_environment_goes()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        Assert.Null(await ReasonAsync(deploymentId));

        await world.MarkCancelRequestedAsync(deploymentId);
        Assert.Equal(DeployJob.CancelRequested, await ReasonAsync(deploymentId));

        // Deleting the environment outranks the cancel: the job then says why it really stopped.
        await world.BeginDeletionAsync(environment.Id);
        Assert.Equal(DeployJob.EnvironmentDeleted, await ReasonAsync(deploymentId));
    }

    [Fact]
    public async Task A_deleted_environment_or_an_unknown_deployment_stops_it()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        await world.WithDb(db => db.Database.ExecuteSqlAsync($"UPDATE environments SET deleted_at = now() WHERE id = {environment.Id}"));

        Assert.Equal(DeployJob.EnvironmentDeleted, await ReasonAsync(deploymentId));
        Assert.Equal(DeployJob.EnvironmentDeleted, await ReasonAsync(Guid.NewGuid()));
    }

    private Task<string?> ReasonAsync(Guid deploymentId) => world.WithDb(db => DeploymentStop.ReasonAsync(db, deploymentId));
}
