using Microsoft.EntityFrameworkCore;
using Paddock.Workers.Reconciliation;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Reconciliation;

[Collection(ReconcileCollection.Name)]
public sealed class LeadershipTests(ReconcileWorld world)
{
    [Fact]
    public async Task Of_two_workers_exactly_one_repairs_a_drift_and_the_other_takes_over_when_it_stops()
    {
        var (environment, _) = await world.RunningEnvironmentAsync();
        var first = await world.StartReconcilerAsync();
        await using var second = await world.StartReconcilerAsync();
        await WorkerWorld.WaitUntilAsync(() => Task.FromResult(first.Service.IsLeader || second.Service.IsLeader), "one of them leads", 10);
        await Task.Delay(500);
        Assert.NotEqual(first.Service.IsLeader, second.Service.IsLeader);
        var (leader, follower) = first.Service.IsLeader ? (first, second) : (second, first);

        await world.KillAsync((await world.SingleContainerAsync(environment.Id)).ID);
        await world.WaitForRepairsAsync(environment.Id);
        await world.ServesAsync(environment);
        await Task.Delay(1000);
        await leader.ResyncAsync();

        Assert.Single(await world.RepairsAsync(environment.Id));
        Assert.Equal(1, await world.World.WithDb(db => db.AuditEvents.CountAsync(a => a.TargetId == environment.Id.ToString() && a.Action == "environment.repaired")));
        Assert.Equal(0, follower.Service.ResyncsStarted);

        await leader.DisposeAsync();
        await follower.WaitUntilLeaderAsync();
        await world.KillAsync((await world.SingleContainerAsync(environment.Id)).ID);
        await world.WaitForRepairsAsync(environment.Id, count: 2);
        await world.ServesAsync(environment);
        if (!ReferenceEquals(leader, first)) await first.DisposeAsync();
    }
}
