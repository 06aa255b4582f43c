using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Environments;
using Paddock.Workers.Reconciliation;

namespace Paddock.Workers.Tests.Reconciliation;

[Collection(ReconcileCollection.Name)]
public sealed class DriftReportingTests(ReconcileWorld world)
{
    [Fact]
    public async Task With_self_heal_off_drift_is_reported_once_and_not_repaired_until_it_is_switched_back_on()
    {
        var (environment, _) = await world.RunningEnvironmentAsync();
        await SetSelfHealAsync(environment.Id, false);
        await using var reconciler = await world.StartReconcilerAsync();
        await reconciler.WaitUntilLeaderAsync();
        var killed = await world.SingleContainerAsync(environment.Id);

        await world.KillAsync(killed.ID);
        await world.WaitForEventAsync(environment.Id, EnvironmentReconciler.DriftPhase);
        await reconciler.ResyncAsync();
        await reconciler.ResyncAsync();

        var drift = Assert.Single(await world.EventsAsync(environment.Id, EnvironmentReconciler.DriftPhase));
        Assert.Contains("exited with code 137", drift.Message);
        Assert.Empty(await world.RepairsAsync(environment.Id));
        Assert.Equal("exited", (await world.SingleContainerAsync(environment.Id)).State);
        var reported = await world.World.EnvironmentAsync(environment.Id);
        Assert.Equal((EnvironmentStatus.Running, EnvironmentHealth.Missing, EnvironmentSync.OutOfSync),
            (reported.Status, reported.Health, reported.Sync));
        Assert.StartsWith(AppEnvironment.DriftReasonPrefix, reported.StatusReason);
        Assert.Contains("exited with code 137", reported.StatusReason);

        await SetSelfHealAsync(environment.Id, true);
        await reconciler.ResyncAsync();
        await world.WaitForRepairsAsync(environment.Id);
        await world.ServesAsync(environment);
        var healed = await world.World.EnvironmentAsync(environment.Id);
        Assert.Equal((EnvironmentHealth.Healthy, EnvironmentSync.InSync, null), (healed.Health, healed.Sync, healed.StatusReason));
    }

    private Task SetSelfHealAsync(Guid environmentId, bool on) => world.World.WithDb(async db =>
    {
        var environment = await db.Environments.SingleAsync(e => e.Id == environmentId);
        Assert.True(environment.ChangeSelfHeal(on));
        await db.SaveChangesAsync();
    });
}
