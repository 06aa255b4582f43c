using Docker.DotNet;
using Microsoft.EntityFrameworkCore;
using Paddock.Backends.Docker;
using Paddock.Domain.Deployments;
using Paddock.Domain.Resources;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Resources;

/// <summary>A workload's volume resource through the real deploy and teardown jobs on real Podman: an engine volume
/// made before the container starts, mounted where the workload says, kept across a redeploy, removed with the
/// environment.</summary>
[Collection(WorkerCollection.Name)]
public sealed class VolumeLifecycleTests(WorkerWorld world)
{
    /// <summary>Each instance appends its mark to /data/log on the volume and serves the whole log.</summary>
    private const string AppendAndServe = "echo \"$MARK\" >> /data/log; cp /data/log /www/index.html; exec httpd -f -p 8080 -h /www";

    [Fact]
    public async Task A_volume_is_made_before_the_container_keeps_its_data_across_a_redeploy_and_goes_with_the_environment()
    {
        var environment = await world.CreateEnvironmentAsync();
        var host = $"{environment.ResourceName}.localhost";

        var first = await QueueWithVolumeAsync(environment.Id, "first");
        await world.DeployAsync(first);

        var deployed = await world.DeploymentAsync(first);
        Assert.True(deployed.Status == DeploymentStatus.Succeeded, deployed.FailureReason);
        var resource = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.EnvironmentId == environment.Id));
        var volumeName = DockerBackend.VolumeName(resource.Uid);
        Assert.Equal((ResourceStatus.Ready, "volume", volumeName), (resource.Status, resource.Type, resource.Values["name"]));
        Assert.Equal(volumeName, (await world.Engine.Volumes.InspectAsync(volumeName)).Name);
        var mount = Assert.Single((await world.Engine.Containers.InspectContainerAsync(Assert.Single(await world.ContainersAsync(environment.Id)).ID)).Mounts);
        Assert.Equal((volumeName, "/data"), (mount.Name, mount.Destination));
        Assert.Equal("first\n", await world.GetThroughEdgeAsync(host));
        var events = await world.EventsAsync(environment.Id);
        Assert.Contains(events, e => e.Message == "volume data ready");

        // A redeploy runs a new container on the same volume: it finds what the first one wrote.
        var second = await QueueWithVolumeAsync(environment.Id, "second");
        await world.DeployAsync(second);

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(second)).Status);
        Assert.Equal("first\nsecond\n", await world.GetThroughEdgeAsync(host));

        await world.BeginDeletionAsync(environment.Id);
        await world.TearDownAsync(environment.Id);

        Assert.True((await world.EnvironmentAsync(environment.Id)).IsDeleted);
        var missing = await Assert.ThrowsAnyAsync<DockerApiException>(() => world.Engine.Volumes.InspectAsync(volumeName));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(ResourceStatus.Deleted, (await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.Id == resource.Id))).Status);
        Assert.Contains(await world.EventsAsync(environment.Id), e => e.Message == "volume data removed");
    }

    /// <summary>A deployment whose main container mounts the volume resource <c>data</c> at /data, as the portal
    /// snapshots a workload that declares one (no class: a volume needs none).</summary>
    private async Task<Guid> QueueWithVolumeAsync(Guid environmentId, string mark)
    {
        var queued = await world.QueueDeploymentAsync(environmentId);
        await world.WithDb(db => db.Database.ExecuteSqlAsync($"UPDATE deployments SET snapshot = snapshot || {System.Text.Json.JsonSerializer.Serialize(
            new
            {
                command = new[] { "/bin/sh", "-c", AppendAndServe },
                variables = new Dictionary<string, string> { ["MARK"] = mark },
                resources = new[] { new { name = "data", type = "volume", @class = ResourceClass.DefaultName, resourceId = "volume.default#web.data" } },
                volumes = new[] { new { resource = "data", target = "/data", readOnly = false } },
            })}::jsonb WHERE id = {queued}"));
        return queued;
    }
}
