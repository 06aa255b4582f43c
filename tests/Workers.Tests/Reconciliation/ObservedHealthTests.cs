using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Workers.Reconciliation;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Reconciliation;

/// <summary>Health says what a user of the stable URL would see, also while the reconciler is still repairing.</summary>
[Collection(ReconcileCollection.Name)]
public sealed class ObservedHealthTests(ReconcileWorld world)
{
    [Fact]
    public async Task A_killed_only_container_makes_the_environment_missing_with_its_exit_code_before_the_repair_and_healthy_after_it()
    {
        // Every instance takes 3 s to answer, so the repair lasts long enough to look at the environment meanwhile.
        var (environment, deploymentId) = await world.RunningEnvironmentAsync(app =>
            app.Command = ["/bin/sh", "-c", "trap 'exit 0' TERM; sleep 3; /bin/httpd -f -p 8080 -h /www & wait"]);
        await using var reconciler = await world.StartReconcilerAsync();
        await reconciler.WaitUntilLeaderAsync();

        await world.KillAsync((await world.SingleContainerAsync(environment.Id)).ID);

        AppEnvironment? seen = null;
        await WorkerWorld.WaitUntilAsync(async () =>
        {
            seen = await world.World.EnvironmentAsync(environment.Id);
            return seen.Health != EnvironmentHealth.Healthy || (await world.RepairsAsync(environment.Id)).Count > 0;
        }, "the environment's health changes or the repair ends", 20);
        Assert.Equal((EnvironmentStatus.Running, EnvironmentHealth.Missing), (seen!.Status, seen.Health));
        Assert.StartsWith(AppEnvironment.DriftReasonPrefix + "0 of 1 instance(s) serve: ", seen.StatusReason);
        Assert.EndsWith("exited with code 137; repairing", seen.StatusReason);
        Assert.Empty(await world.RepairsAsync(environment.Id));

        await world.WaitForEventAsync(environment.Id, EnvironmentReconciler.RepairedPhase);
        await world.ServesAsync(environment);
        var after = await world.World.EnvironmentAsync(environment.Id);
        Assert.Equal((EnvironmentHealth.Healthy, EnvironmentSync.InSync, null), (after.Health, after.Sync, after.StatusReason));

        // The timeline (and so the SSE stream and the page) says it in order: down, then repaired once it serves.
        var events = await world.World.EventsAsync(environment.Id);
        var down = Assert.Single(events, e => e.Phase == OutageAnnouncer.DownPhase);
        var repaired = Assert.Single(events, e => e.Phase == EnvironmentReconciler.RepairedPhase);
        Assert.True(down.Sequence < repaired.Sequence, $"down #{down.Sequence}, repaired #{repaired.Sequence}");
        Assert.Equal((EventLevel.Warning, deploymentId), (down.Level, down.DeploymentId));
        Assert.Contains("exited with code 137; repairing.", down.Message);
        Assert.True(repaired.At - down.At > TimeSpan.FromSeconds(2), $"down at {down.At:O}, repaired at {repaired.At:O}");
    }

    [Fact]
    public async Task A_stray_beside_a_serving_instance_is_cleaned_without_saying_the_environment_is_down()
    {
        var (environment, _) = await world.RunningEnvironmentAsync();
        await using var reconciler = await world.StartReconcilerAsync();
        await reconciler.WaitUntilLeaderAsync();
        var serving = await world.SingleContainerAsync(environment.Id);
        var labels = new Dictionary<string, string>(serving.Labels) { [Backends.Docker.DockerLabels.DeploymentId] = Guid.NewGuid().ToString() };
        var stray = await world.World.Engine.Containers.CreateContainerAsync(new Docker.DotNet.Models.CreateContainerParameters
        {
            Name = $"stray-{Guid.NewGuid():N}"[..20],
            Image = DemoImages.V1,
            Labels = labels,
            HostConfig = new Docker.DotNet.Models.HostConfig
            {
                PortBindings = new Dictionary<string, IList<Docker.DotNet.Models.PortBinding>> { ["8080/tcp"] = [new() { HostIP = "127.0.0.1", HostPort = "0" }] },
            },
            ExposedPorts = new Dictionary<string, Docker.DotNet.Models.EmptyStruct> { ["8080/tcp"] = default },
        });
        await world.World.Engine.Containers.StartContainerAsync(stray.ID, new Docker.DotNet.Models.ContainerStartParameters());

        await world.WaitForEventAsync(environment.Id, EnvironmentReconciler.CleanedPhase, seconds: 20);

        Assert.Empty(await world.EventsAsync(environment.Id, OutageAnnouncer.DownPhase));
        Assert.Equal(EnvironmentHealth.Healthy, (await world.World.EnvironmentAsync(environment.Id)).Health);
    }
}
