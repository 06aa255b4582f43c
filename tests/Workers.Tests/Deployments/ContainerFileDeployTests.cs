using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Deployments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

/// <summary>A workload's file through the real deploy job on real Podman: the content a deployment snapshot carries (as
/// the portal writes it, a file read from git at a commit included) is the file the container runs with, and a
/// deployment with new content runs the new content.</summary>
[Collection(WorkerCollection.Name)]
public sealed class ContainerFileDeployTests(WorkerWorld world)
{
    [Fact]
    public async Task The_container_runs_with_the_files_content_of_its_deployment_and_a_new_deployment_brings_the_new_content()
    {
        var environment = await world.CreateEnvironmentAsync(configure: app =>
            app.Command = ["/bin/sh", "-c", "cp /etc/shop/app.conf /www/index.html; exec httpd -f -p 8080 -h /www"]);
        var host = $"{environment.ResourceName}.localhost";

        var blue = await QueueWithFileAsync(environment.Id, "name = shop\ncolour = blue costs $$5\n");
        await world.DeployAsync(blue);

        var deployed = await world.DeploymentAsync(blue);
        Assert.True(deployed.Status == DeploymentStatus.Succeeded, deployed.FailureReason);
        Assert.Equal("name = shop\ncolour = blue costs $5\n", await world.GetThroughEdgeAsync(host));

        var green = await QueueWithFileAsync(environment.Id, "name = shop\ncolour = green\n");
        await world.DeployAsync(green);

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(green)).Status);
        Assert.Equal("name = shop\ncolour = green\n", await world.GetThroughEdgeAsync(host));

        await world.BeginDeletionAsync(environment.Id);
        await world.TearDownAsync(environment.Id);
    }

    /// <summary>A deployment whose main container gets /etc/shop/app.conf with this content (a template: <c>$$</c> is a
    /// literal <c>$</c>), as the portal snapshots a workload file's <c>files</c>.</summary>
    private async Task<Guid> QueueWithFileAsync(Guid environmentId, string content)
    {
        var queued = await world.QueueDeploymentAsync(environmentId);
        await world.WithDb(db => db.Database.ExecuteSqlAsync($"UPDATE deployments SET snapshot = snapshot || {System.Text.Json.JsonSerializer.Serialize(
            new { files = new[] { new { container = "web", target = "/etc/shop/app.conf", mode = "0640", content } } })}::jsonb WHERE id = {queued}"));
        return queued;
    }
}
