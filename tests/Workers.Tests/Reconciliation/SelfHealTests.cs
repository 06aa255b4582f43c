using System.Text.Json;
using Docker.DotNet.Models;
using Microsoft.EntityFrameworkCore;
using Paddock.Backends.Docker;
using Paddock.Domain.Environments;
using Paddock.Workers.Reconciliation;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Reconciliation;

[Collection(ReconcileCollection.Name)]
public sealed class SelfHealTests(ReconcileWorld world)
{
    [Fact]
    public async Task A_killed_container_is_replaced_and_the_environment_serves_again_through_the_edge()
    {
        var (environment, deploymentId) = await world.RunningEnvironmentAsync();
        await using var reconciler = await world.StartReconcilerAsync();
        await reconciler.WaitUntilLeaderAsync();
        var killed = await world.SingleContainerAsync(environment.Id);

        await world.KillAsync(killed.ID);

        await world.WaitForEventAsync(environment.Id, EnvironmentReconciler.RepairedPhase);
        await world.ServesAsync(environment);
        var repaired = Assert.Single(await world.EventsAsync(environment.Id, EnvironmentReconciler.RepairedPhase));
        Assert.Contains("exited with code 137; started a replacement", repaired.Message);
        Assert.Equal(deploymentId, repaired.DeploymentId);
        var replacement = await world.SingleContainerAsync(environment.Id);
        Assert.NotEqual(killed.ID, replacement.ID);
        Assert.Equal("running", replacement.State);
        Assert.Equal(deploymentId.ToString(), replacement.Labels[DockerLabels.DeploymentId]);

        var after = await world.World.EnvironmentAsync(environment.Id);
        Assert.Equal((EnvironmentStatus.Running, EnvironmentHealth.Healthy, EnvironmentSync.InSync, null),
            (after.Status, after.Health, after.Sync, after.StatusReason));
        var audit = Assert.Single(await world.World.WithDb(db => db.AuditEvents.AsNoTracking()
            .Where(a => a.TargetId == environment.Id.ToString() && a.Action == "environment.repaired").ToListAsync()));
        Assert.Equal("system:reconciler", audit.ActorId);
        using var before = JsonDocument.Parse(audit.Before!);
        var instance = Assert.Single(before.RootElement.GetProperty("instances").EnumerateArray());
        Assert.Equal("Exited", instance.GetProperty("state").GetString());
        Assert.Equal(137, instance.GetProperty("exitCode").GetInt64());
        Assert.Contains("engine event", audit.After);
    }

    [Fact]
    public async Task A_repair_routes_traffic_through_the_rollout_and_says_when_the_stable_url_is_not_confirmed()
    {
        var (environment, _) = await world.RunningEnvironmentAsync();
        await using var reconciler = await world.StartReconcilerAsync();
        await reconciler.WaitUntilLeaderAsync();
        var killed = await world.SingleContainerAsync(environment.Id);

        await world.World.WithoutEdgeAsync(async () =>
        {
            await world.KillAsync(killed.ID);
            await world.WaitForEventAsync(environment.Id, EnvironmentReconciler.RepairedPhase);
        });

        var repaired = Assert.Single(await world.EventsAsync(environment.Id, EnvironmentReconciler.RepairedPhase));
        Assert.Contains("started a replacement; traffic is not confirmed: The edge did not take the new route", repaired.Message);
        // The edge reads every route when it starts again: the replacement serves.
        await world.ServesAsync(environment);
    }

    [Fact]
    public async Task Kills_from_outside_are_repaired_each_time_without_back_off_or_a_crash_loop()
    {
        var (environment, _) = await world.RunningEnvironmentAsync();
        await using var reconciler = await world.StartReconcilerAsync();   // crash loop after 3 restarts
        await reconciler.WaitUntilLeaderAsync();

        for (var kill = 1; kill <= 4; kill++)
        {
            await world.KillAsync((await world.SingleContainerAsync(environment.Id)).ID);
            await world.WaitForEventAsync(environment.Id, EnvironmentReconciler.RepairedPhase, count: kill, seconds: 15);
            await world.ServesAsync(environment);
        }

        Assert.Empty(await world.EventsAsync(environment.Id, EnvironmentReconciler.CrashLoopPhase));
        Assert.Equal(EnvironmentHealth.Healthy, (await world.World.EnvironmentAsync(environment.Id)).Health);
    }

    [Fact]
    public async Task A_removed_container_is_started_again()
    {
        var (environment, _) = await world.RunningEnvironmentAsync();
        await using var reconciler = await world.StartReconcilerAsync();
        await reconciler.WaitUntilLeaderAsync();
        var removed = await world.SingleContainerAsync(environment.Id);

        await world.World.Engine.Containers.RemoveContainerAsync(removed.ID, new ContainerRemoveParameters { Force = true });

        await world.WaitForEventAsync(environment.Id, EnvironmentReconciler.RepairedPhase);
        await world.ServesAsync(environment);
        var repaired = Assert.Single(await world.EventsAsync(environment.Id, EnvironmentReconciler.RepairedPhase));
        Assert.Contains("1 of 1 instance(s) missing; started 1 new instance(s)", repaired.Message);
        Assert.Equal("running", (await world.SingleContainerAsync(environment.Id)).State);
    }

    [Fact]
    public async Task A_stopped_container_is_replaced()
    {
        var (environment, _) = await world.RunningEnvironmentAsync();
        await using var reconciler = await world.StartReconcilerAsync();
        await reconciler.WaitUntilLeaderAsync();
        var stopped = await world.SingleContainerAsync(environment.Id);

        await world.World.Engine.Containers.StopContainerAsync(stopped.ID, new ContainerStopParameters { WaitBeforeKillSeconds = 2 });

        // Podman may report the stop after the death: then it counts as a crash ("restarted"), which a first time is no different.
        await world.WaitForRepairsAsync(environment.Id);
        await world.ServesAsync(environment);
        var repaired = Assert.Single(await world.RepairsAsync(environment.Id));
        Assert.Contains("exited with code", repaired.Message);
        Assert.Equal("running", (await world.SingleContainerAsync(environment.Id)).State);
    }

    [Fact]
    public async Task A_stray_container_with_the_environments_labels_is_removed_and_others_are_left_alone()
    {
        var (environment, deploymentId) = await world.RunningEnvironmentAsync();
        await using var reconciler = await world.StartReconcilerAsync();
        await reconciler.WaitUntilLeaderAsync();
        var serving = await world.SingleContainerAsync(environment.Id);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var stray = await StartContainerAsync($"stray-{suffix}", DemoImages.V1, new Dictionary<string, string>
        {
            [DockerLabels.Managed] = "true",
            [DockerLabels.EnvironmentId] = environment.Id.ToString(),
            [DockerLabels.DeploymentId] = Guid.NewGuid().ToString(),
        });
        var foreign = await StartContainerAsync($"foreign-{suffix}", DemoImages.V1, new Dictionary<string, string>
        {
            ["paddock.environment-id"] = environment.Id.ToString(),   // no paddock.managed: not Paddock's
        });
        try
        {
            await world.WaitForEventAsync(environment.Id, EnvironmentReconciler.CleanedPhase, seconds: 20);

            var left = Assert.Single(await world.World.ContainersAsync(environment.Id), c => c.Labels.ContainsKey(DockerLabels.Managed));
            Assert.Equal(serving.ID, left.ID);
            Assert.DoesNotContain(await world.World.ContainersAsync(environment.Id), c => c.ID == stray);
            Assert.Contains(await world.World.ContainersAsync(environment.Id), c => c.ID == foreign);
            var cleaned = Assert.Single(await world.EventsAsync(environment.Id, EnvironmentReconciler.CleanedPhase));
            Assert.Contains($"stray-{suffix}", cleaned.Message);
            Assert.Empty(await world.EventsAsync(environment.Id, EnvironmentReconciler.RepairedPhase));
            Assert.Equal(deploymentId, (await world.World.EnvironmentAsync(environment.Id)).CurrentDeploymentId);
            await world.ServesAsync(environment);
        }
        finally
        {
            await world.World.Engine.Containers.RemoveContainerAsync(foreign, new ContainerRemoveParameters { Force = true });
        }
    }

    [Fact]
    public async Task A_container_replaced_out_of_band_with_another_image_is_replaced_with_the_deployed_one()
    {
        var (environment, deploymentId) = await world.RunningEnvironmentAsync();
        await using var reconciler = await world.StartReconcilerAsync();
        await reconciler.WaitUntilLeaderAsync();
        var original = await world.SingleContainerAsync(environment.Id);
        var labels = new Dictionary<string, string>(original.Labels);

        var impostor = await StartContainerAsync($"{original.Names[0].TrimStart('/')}-x", DemoImages.V2, labels);
        await world.World.Engine.Containers.RemoveContainerAsync(original.ID, new ContainerRemoveParameters { Force = true });

        await world.WaitForEventAsync(environment.Id, EnvironmentReconciler.RepairedPhase);
        await WorkerWorld.WaitUntilAsync(async () => (await world.World.ContainersAsync(environment.Id)).All(c => c.ID != impostor),
            "the impostor is gone", 20);
        await world.ServesAsync(environment);
        var container = await world.SingleContainerAsync(environment.Id);
        // The deployed content: by its tag, or by its digest when the engine knows one for it (a repair runs exactly
        // what the deployment ran, and an engine that pushed or re-tagged the image lists a digest for it).
        var deployed = await world.World.Engine.Images.InspectImageAsync(DemoImages.V1);
        Assert.True(container.Image == DemoImages.V1 || container.ImageID.EndsWith(deployed.ID.Replace("sha256:", "", StringComparison.Ordinal), StringComparison.Ordinal),
            $"the repaired container runs {container.Image} ({container.ImageID}), not {DemoImages.V1} ({deployed.ID})");
        Assert.Equal(deploymentId.ToString(), container.Labels[DockerLabels.DeploymentId]);
        var repairs = string.Join("\n", (await world.World.EventsAsync(environment.Id))
            .Where(e => e.Phase is EnvironmentReconciler.RepairedPhase or EnvironmentReconciler.CleanedPhase).Select(e => e.Message));
        Assert.Contains($"runs {DemoImages.V2} instead of {DemoImages.V1}", repairs);
    }

    private async Task<string> StartContainerAsync(string name, string image, IDictionary<string, string> labels)
    {
        var created = await world.World.Engine.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Name = name,
            Image = image,
            Labels = labels,
            HostConfig = new HostConfig { PortBindings = new Dictionary<string, IList<PortBinding>> { ["8080/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = "0" }] } },
            ExposedPorts = new Dictionary<string, EmptyStruct> { ["8080/tcp"] = default },
        });
        await world.World.Engine.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        return created.ID;
    }
}
