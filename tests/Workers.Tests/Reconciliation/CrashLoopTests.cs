using Paddock.Domain.Environments;
using Paddock.Workers.Reconciliation;

namespace Paddock.Workers.Tests.Reconciliation;

[Collection(ReconcileCollection.Name)]
public sealed class CrashLoopTests(ReconcileWorld world)
{
    [Fact]
    public async Task An_instance_that_keeps_dying_is_restarted_with_growing_pauses_then_the_environment_is_degraded_with_reason_CrashLoop()
    {
        // Serves long enough to pass the deploy's probes, then dies: every replacement does the same.
        var (environment, _) = await world.RunningEnvironmentAsync(app => app.Command =
            ["/bin/sh", "-c", "/bin/httpd -f -p 8080 -h /www & sleep 4; echo 'giving up: out of widgets'; exit 3"]);
        await using var reconciler = await world.StartReconcilerAsync(new Dictionary<string, string?>
        {
            ["Reconciler:CrashLoop:MaxRestarts"] = "3",
            ["Reconciler:CrashLoop:InitialBackoffSeconds"] = "7",
            ["Reconciler:CrashLoop:MaxBackoffSeconds"] = "9",
        });

        await world.WaitForEventAsync(environment.Id, EnvironmentReconciler.CrashLoopPhase, seconds: 90);

        var restarts = (await world.World.EventsAsync(environment.Id))
            .Where(e => e.Phase is EnvironmentReconciler.RestartedPhase or EnvironmentReconciler.RepairFailedPhase)
            .Select(e => e.At)
            .ToList();
        Assert.Equal(3, restarts.Count);
        // The instance lives ~4 s; the pauses between repairs are the back-off (7 s, then 9 s), not its lifetime.
        Assert.True(restarts[1] - restarts[0] >= TimeSpan.FromSeconds(6.5), $"first pause {restarts[1] - restarts[0]}");
        Assert.True(restarts[2] - restarts[1] >= TimeSpan.FromSeconds(8.5), $"second pause {restarts[2] - restarts[1]}");
        var degraded = await world.World.EnvironmentAsync(environment.Id);
        Assert.Equal((EnvironmentHealth.Degraded, EnvironmentSync.OutOfSync), (degraded.Health, degraded.Sync));
        Assert.StartsWith(AppEnvironment.CrashLoopReasonPrefix, degraded.StatusReason);
        Assert.Contains("giving up: out of widgets", degraded.StatusReason);

        await Task.Delay(TimeSpan.FromSeconds(1));
        await reconciler.ResyncAsync();
        Assert.Equal(3, (await world.World.EventsAsync(environment.Id))
            .Count(e => e.Phase is EnvironmentReconciler.RestartedPhase or EnvironmentReconciler.RepairFailedPhase));
        Assert.Single(await world.EventsAsync(environment.Id, EnvironmentReconciler.CrashLoopPhase));
        Assert.Empty(await world.EventsAsync(environment.Id, EnvironmentReconciler.RepairedPhase));
    }
}
