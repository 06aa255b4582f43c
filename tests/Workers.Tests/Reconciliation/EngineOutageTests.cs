using Paddock.Domain.Environments;
using Paddock.Workers.Reconciliation;

namespace Paddock.Workers.Tests.Reconciliation;

[Collection(ReconcileCollection.Name)]
public sealed class EngineOutageTests(ReconcileWorld world)
{
    [Fact]
    public async Task An_engine_down_during_a_resync_loses_nothing_and_the_drift_is_repaired_once_it_answers_again()
    {
        var (environment, deploymentId) = await world.RunningEnvironmentAsync();
        await using var reconciler = await world.StartReconcilerAsync();
        await reconciler.WaitUntilLeaderAsync();
        await reconciler.ResyncAsync();

        reconciler.Engine.Down = true;
        await world.KillAsync((await world.SingleContainerAsync(environment.Id)).ID);
        await reconciler.ResyncAsync();
        await reconciler.ResyncAsync();

        Assert.Empty(await world.RepairsAsync(environment.Id));
        var during = await world.World.EnvironmentAsync(environment.Id);
        Assert.Equal((EnvironmentStatus.Running, deploymentId, null), (during.Status, during.CurrentDeploymentId, during.DeletedAt));
        Assert.Equal("exited", (await world.SingleContainerAsync(environment.Id)).State);
        // Nobody can tell what runs: health says so, and why.
        Assert.Equal(EnvironmentHealth.Unknown, during.Health);
        Assert.StartsWith(AppEnvironment.UnobservedReasonPrefix, during.StatusReason);

        reconciler.Engine.Down = false;

        await world.WaitForRepairsAsync(environment.Id, seconds: 40);
        await world.ServesAsync(environment);
        Assert.Single(await world.RepairsAsync(environment.Id));
        var after = await world.World.EnvironmentAsync(environment.Id);
        Assert.Equal((EnvironmentHealth.Healthy, deploymentId, null), (after.Health, after.CurrentDeploymentId, after.StatusReason));
    }
}
