using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Environments;
using Paddock.Workers.Reconciliation;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Reconciliation;

/// <summary>Health says what a user of the stable URL would see, also while the reconciler is still at work.</summary>
[Collection(ReconcileCollection.Name)]
public sealed class ObservedHealthTests(ReconcileWorld world)
{
    [Fact]
    public async Task While_the_only_instance_is_dead_and_its_replacement_starts_the_environment_is_missing_with_the_reason()
    {
        // A replacement that takes 3 s to answer, so the repair lasts long enough to look at.
        var (environment, _) = await world.RunningEnvironmentAsync(app =>
            app.Command = ["/bin/sh", "-c", "trap 'exit 0' TERM; sleep 3; /bin/httpd -f -p 8080 -h /www & wait"]);
        await world.KillAsync((await world.SingleContainerAsync(environment.Id)).ID);
        using var host = WorkerWorld.BuildHost(world.World.Settings(), reconciler: true);

        var repair = ReconcileAsync(host, environment.Id);
        AppEnvironment? seen = null;
        var missing = await WorkerWorld.HoldsWithinAsync(async () =>
        {
            seen = await world.World.EnvironmentAsync(environment.Id);
            return seen.Health == EnvironmentHealth.Missing || repair.IsCompleted;
        }, seconds: 20);
        Assert.True(missing && seen!.Health == EnvironmentHealth.Missing, $"health stayed {seen?.Health} ({seen?.StatusReason})");
        Assert.StartsWith(AppEnvironment.DriftReasonPrefix, seen!.StatusReason);
        Assert.Contains("exited", seen.StatusReason);

        Assert.Equal(ReconcileResult.Repaired, await repair);
        var after = await world.World.EnvironmentAsync(environment.Id);
        Assert.Equal((EnvironmentHealth.Healthy, null), (after.Health, after.StatusReason));
    }

    private static async Task<ReconcileResult> ReconcileAsync(Microsoft.Extensions.Hosting.IHost host, Guid environmentId)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<EnvironmentReconciler>().ReconcileAsync(environmentId, "test", CancellationToken.None)).Result;
    }
}
