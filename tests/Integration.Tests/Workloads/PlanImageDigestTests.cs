using System.Net;
using System.Text;
using Docker.DotNet;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Testing;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Workloads;

/// <summary>A plan shows the content each image resolves to on the environment's backend (here the portal's
/// <c>docker</c> backend on the test engine, <c>DOCKER_HOST</c> as test.sh exports it), and its apply runs exactly that
/// content or refuses when the tag moved in between.</summary>
public sealed class PlanImageDigestTests(PortalFixture portal) : IClassFixture<PortalFixture>, IAsyncLifetime
{
    private readonly DockerClient _engine = new DockerClientBuilder().WithEndpoint(new Uri(
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host
            : throw new InvalidOperationException("These tests need the test engine: run them through test.sh (DOCKER_HOST).")))
        .Build();
    private readonly string _moving = $"localhost/moving-plan-{Guid.NewGuid().ToString("N")[..8]}";

    private Task TagAsync(string source) =>
        _engine.Images.TagImageAsync(source, new() { RepositoryName = _moving, Tag = "1" });

    [Fact]
    public async Task A_plan_shows_the_digest_its_image_runs_and_applying_after_the_tag_moved_is_refused_naming_the_image()
    {
        await TagAsync(DemoImages.V1);
        var v1 = (await _engine.Images.InspectImageAsync(DemoImages.V1)).ID;
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b => b["image"] = $"{_moving}:1");
        var envId = portal.EnvironmentId(app, "dev");
        var path = $"{EnvironmentPath(app, "dev")}/plans";

        var planned = await scenario.Member.PostAsync(path, new StringContent("", Encoding.UTF8, "application/yaml"));
        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var plan = await planned.JsonAsync();
        var image = Assert.Single(plan.GetProperty("images").EnumerateArray());
        Assert.Equal((app, $"{_moving}:1"), (image.GetProperty("container").GetString(), image.GetProperty("image").GetString()));
        var digest = image.GetProperty("digest").GetString()!;
        Assert.StartsWith("sha256:", digest);
        Assert.Contains($"container {app} runs {_moving}:1: {digest}", plan.GetProperty("text").GetString());

        await TagAsync(DemoImages.V2);
        var applied = await scenario.Member.PostAsync($"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply", null);

        await Api.EnsureAsync(applied, HttpStatusCode.Conflict);
        var detail = (await applied.JsonAsync()).GetProperty("detail").GetString()!;
        Assert.Contains($"image {_moving}:1 of container {app} moved (it was {digest}, now sha256:", detail);
        Assert.Single(portal.DeploymentsOf(envId));

        var again = await (await scenario.Member.PostAsync(path, new StringContent("", Encoding.UTF8, "application/yaml"))).JsonAsync();
        var movedDigest = Assert.Single(again.GetProperty("images").EnumerateArray()).GetProperty("digest").GetString();
        Assert.NotEqual(digest, movedDigest);
        await Api.EnsureAsync(await scenario.Member.PostAsync($"/api/v1/plans/{again.GetProperty("id").GetGuid()}/apply", null), HttpStatusCode.Accepted);
        Assert.Equal(movedDigest, portal.DeploymentsOf(envId)[1].Snapshot.ImageDigest);
        Assert.NotEqual(v1, movedDigest);
    }

    [Fact]
    public async Task An_image_the_engine_does_not_have_is_planned_as_resolved_at_deploy_and_applies()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b => b["image"] = $"{_moving}-absent:1");
        var envId = portal.EnvironmentId(app, "dev");

        var plan = await (await scenario.Member.PostAsync($"{EnvironmentPath(app, "dev")}/plans",
            new StringContent("", Encoding.UTF8, "application/yaml"))).JsonAsync();
        var image = Assert.Single(plan.GetProperty("images").EnumerateArray());

        // The API leaves null properties out.
        Assert.False(image.TryGetProperty("digest", out _));
        Assert.Equal("not on the engine yet: resolved when it is pulled at deploy", image.GetProperty("note").GetString());
        await Api.EnsureAsync(await scenario.Member.PostAsync($"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply", null), HttpStatusCode.Accepted);
        Assert.Null(portal.DeploymentsOf(envId)[1].Snapshot.ImageDigest);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try { await _engine.Images.DeleteImageAsync($"{_moving}:1", new() { Force = false }); }
        catch (DockerImageNotFoundException) { }
        _engine.Dispose();
    }
}
