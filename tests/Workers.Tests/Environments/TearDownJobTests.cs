using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Environments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Environments;

[Collection(WorkerCollection.Name)]
public sealed class TearDownJobTests(WorkerWorld world)
{
    [Fact]
    public async Task Teardown_removes_containers_network_and_route_and_marks_the_environment_deleted()
    {
        var environment = await world.CreateEnvironmentAsync();
        await world.DeployAsync(await world.QueueDeploymentAsync(environment.Id));
        Assert.NotEmpty(await world.ContainersAsync(environment.Id));
        await world.BeginDeletionAsync(environment.Id);

        await world.TearDownAsync(environment.Id);
        await world.TearDownAsync(environment.Id);

        Assert.Empty(await world.ContainersAsync(environment.Id));
        Assert.False(await world.NetworkExistsAsync(environment.ResourceName.Value));
        Assert.False(await world.WithDb(db => db.EdgeRoutes.AnyAsync(r => r.EnvironmentId == environment.Id)));
        Assert.True((await world.EnvironmentAsync(environment.Id)).IsDeleted);
        Assert.Equal("deleted", (await world.EventsAsync(environment.Id))[^1].Phase);
        Assert.Equal(["environment.torn_down"], await world.AuditActionsAsync(environment.Id.ToString()));
    }

    [Fact]
    public async Task Teardown_leaves_an_environment_that_is_not_being_deleted_alone()
    {
        var environment = await world.CreateEnvironmentAsync();
        await world.DeployAsync(await world.QueueDeploymentAsync(environment.Id));

        await world.TearDownAsync(environment.Id);

        Assert.False((await world.EnvironmentAsync(environment.Id)).IsDeleted);
        Assert.Single(await world.ContainersAsync(environment.Id));
    }
}
