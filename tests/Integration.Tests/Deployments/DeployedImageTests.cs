using System.Net;
using System.Net.Http.Json;
using Paddock.Domain.Environments;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Deployments;

/// <summary>Deploying an image makes it the environment's image: what runs, what the environment calls its image and
/// what the next deployment uses agree. No worker runs here; a success is written the way the worker writes it.</summary>
public sealed class DeployedImageTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task A_deployed_image_becomes_the_environments_image_as_an_audited_change_and_the_next_plain_deploy_keeps_it()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        var first = Assert.Single(portal.DeploymentsOf(envId));
        await portal.MarkSucceededAsync(first.Id);

        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Post, $"{EnvironmentPath(app, "dev")}/deployments", new { image = "localhost/paddock-demo:2" });
        await Api.EnsureAsync(response, HttpStatusCode.Accepted);

        var env = await (await scenario.Viewer.GetAsync(EnvironmentPath(app, "dev"))).JsonAsync();
        Assert.Equal("localhost/paddock-demo:2", env.GetProperty("overrides").GetProperty("image").GetString());
        Assert.Equal("localhost/paddock-demo:2", env.GetProperty("effective").GetProperty("image").GetString());
        var audit = portal.AuditOf(call).OrderBy(e => e.Action).ToList();
        Assert.Equal(["deployment.queued", "environment.image_changed"], audit.Select(e => e.Action));
        Assert.Contains(first.Snapshot.Image, audit[1].Before);
        Assert.Contains("localhost/paddock-demo:2", audit[1].After);

        // The worker's success of :2 leaves the environment in sync: a settings re-check finds nothing pending.
        var second = portal.DeploymentsOf(envId)[1];
        await portal.MarkSucceededAsync(second.Id);
        await Api.EnsureAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}", new { description = "only words" }), HttpStatusCode.OK);
        Assert.Equal(EnvironmentSync.InSync, portal.SyncOf(envId));

        var (plain, plainCall) = await scenario.Member.CallAsync(HttpMethod.Post, $"{EnvironmentPath(app, "dev")}/deployments", new { });
        await Api.EnsureAsync(plain, HttpStatusCode.Accepted);
        Assert.Equal("localhost/paddock-demo:2", (await plain.JsonAsync()).GetProperty("image").GetString());
        Assert.Equal(["deployment.queued"], portal.AuditOf(plainCall).Select(e => e.Action));
    }

    [Fact]
    public async Task Redeploying_an_earlier_revision_makes_its_image_the_environments_image_again()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        var first = Assert.Single(portal.DeploymentsOf(envId));
        await Api.EnsureAsync(await scenario.Member.PostAsJsonAsync($"{EnvironmentPath(app, "dev")}/deployments", new { image = "localhost/paddock-demo:2" }), HttpStatusCode.Accepted);

        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/deployments/{first.Id}/redeploy", new { reason = "v2 breaks checkout" });
        await Api.EnsureAsync(response, HttpStatusCode.Accepted);

        var env = await (await scenario.Viewer.GetAsync(EnvironmentPath(app, "dev"))).JsonAsync();
        Assert.Equal(first.Snapshot.Image, env.GetProperty("effective").GetProperty("image").GetString());
        Assert.Equal(["deployment.redeployed", "environment.image_changed"], portal.AuditOf(call).Select(e => e.Action).Order());
        var (plain, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"{EnvironmentPath(app, "dev")}/deployments", new { });
        Assert.Equal(first.Snapshot.Image, (await plain.JsonAsync()).GetProperty("image").GetString());
    }
}
