using Paddock.Domain.Deployments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

[Collection(WorkerCollection.Name)]
public sealed class ImageDigestTests(WorkerWorld world)
{
    [Fact]
    public async Task A_succeeded_deployment_records_the_digest_of_the_image_it_ran()
    {
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await world.DeployAsync(deploymentId);

        var image = await world.Engine.Images.InspectImageAsync(DemoImages.V1);
        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Succeeded, deployment.Status);
        Assert.StartsWith("sha256:", deployment.ImageDigest);
        Assert.Contains(deployment.ImageDigest!, string.Join(' ', [image.ID, .. image.RepoDigests ?? []]));
    }

    [Fact]
    public async Task A_redeploy_of_an_old_deployment_runs_its_recorded_content_after_the_tag_moved()
    {
        var moving = $"localhost/moving-{Guid.NewGuid().ToString("N")[..8]}";
        await world.Engine.Images.TagImageAsync(DemoImages.V1, new() { RepositoryName = moving, Tag = "1" });
        var environment = await world.CreateEnvironmentAsync(image: $"{moving}:1");
        var firstId = await world.QueueDeploymentAsync(environment.Id);
        await world.DeployAsync(firstId);
        var first = await world.DeploymentAsync(firstId);

        await world.Engine.Images.TagImageAsync(DemoImages.V2, new() { RepositoryName = moving, Tag = "1" });
        var movedId = await world.QueueDeploymentAsync(environment.Id);
        await world.DeployAsync(movedId);
        Assert.Equal("paddock demo v2\n", await world.GetThroughEdgeAsync($"{environment.ResourceName}.localhost"));

        // What POST /deployments/{id}/redeploy queues: the earlier snapshot with the content it ran.
        var rollbackId = await world.QueueRedeployAsync(first);
        await world.DeployAsync(rollbackId);

        var rollback = await world.DeploymentAsync(rollbackId);
        Assert.Equal(DeploymentStatus.Succeeded, rollback.Status);
        Assert.Equal(first.ImageDigest, rollback.ImageDigest);
        Assert.NotEqual(first.ImageDigest, (await world.DeploymentAsync(movedId)).ImageDigest);
        Assert.Equal("paddock demo v1\n", await world.GetThroughEdgeAsync($"{environment.ResourceName}.localhost"));
    }
}
