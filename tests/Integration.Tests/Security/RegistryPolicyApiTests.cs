using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Security;

public sealed class RegistryPolicyApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string Foreign = "127.0.0.1:5399/x:1";

    [Fact]
    public async Task A_team_list_refuses_other_registries_on_app_and_environment_changes_and_deploys_before_anything_is_queued()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        await Api.EnsureAsync(await scenario.Owner.PatchAsJsonAsync($"/api/v1/teams/{scenario.TeamName}",
            new { allowedRegistries = new[] { "localhost", "https://registry.example.com/" } }), HttpStatusCode.OK);
        var team = await (await scenario.Owner.GetAsync($"/api/v1/teams/{scenario.TeamName}")).JsonAsync();
        Assert.Equal(["localhost", "registry.example.com"], team.GetProperty("allowedRegistries").EnumerateArray().Select(e => e.GetString()));
        var environmentId = portal.EnvironmentId(app, "dev");
        var deploymentsBefore = portal.DeploymentsOf(environmentId).Count;

        Assert.Contains("image", await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync("/api/v1/apps",
            new { name = Unique.Name("app"), team = scenario.TeamName, image = Foreign, port = 8080 })));
        Assert.Contains("image", await Api.ErrorKeysAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}", new { image = Foreign })));
        Assert.Contains("image", await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync($"/api/v1/apps/{app}/environments",
            new { name = "stage", stage = "Staging", backend = "docker", image = Foreign })));
        Assert.Contains("image", await Api.ErrorKeysAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}/environments/dev", new { image = Foreign })));
        Assert.Contains("image", await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync($"/api/v1/apps/{app}/environments/dev/deployments", new { image = Foreign })));
        Assert.Equal(deploymentsBefore, portal.DeploymentsOf(environmentId).Count);

        await Api.EnsureAsync(await scenario.Member.PostAsJsonAsync($"/api/v1/apps/{app}/environments/dev/deployments",
            new { image = "registry.example.com/team/app:2" }), HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task A_redeploy_of_an_image_from_a_registry_refused_since_is_refused_before_anything_is_queued()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var environmentId = portal.EnvironmentId(app, "dev");
        var first = Assert.Single(portal.DeploymentsOf(environmentId));
        Assert.StartsWith("registry.example.com/", first.Snapshot.Image);
        await Api.EnsureAsync(await scenario.Owner.PatchAsJsonAsync($"/api/v1/teams/{scenario.TeamName}",
            new { allowedRegistries = new[] { "localhost" } }), HttpStatusCode.OK);

        Assert.Contains("image", await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync($"/api/v1/deployments/{first.Id}/redeploy",
            new { reason = "roll back" })));
        Assert.Single(portal.DeploymentsOf(environmentId));
    }

    [Fact]
    public async Task Variable_and_secret_values_with_control_characters_are_refused_with_the_field_named()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        // Not a NUL: that is refused earlier, by the API's input rule (NulCharacterGuard), which stops at the first field.

        var keys = await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync("/api/v1/apps", new
        {
            name = Unique.Name("app"), team = scenario.TeamName, image = "localhost/paddock-demo:1", port = 8080,
            env = new Dictionary<string, string> { ["MODE"] = "a\u001bb", ["FINE"] = "tab\there\nand lines" },
            secrets = new Dictionary<string, string> { ["API_KEY"] = "abc\u0007def" },
        }));

        Assert.Equal(["env.MODE", "secrets.API_KEY"], keys.Order());
    }
}

/// <summary>A portal whose platform list allows one registry: teams cannot widen it.</summary>
public sealed class PlatformRegistryListTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task The_platform_list_refuses_other_registries_and_a_team_cannot_widen_it()
    {
        using var restricted = portal.WithWebHostBuilder(b => b.UseSetting("Paddock:AllowedRegistries:0", "registry.example.com"));
        var scenario = await TeamScenario.CreateAsync(portal);
        var admin = restricted.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", portal.AdminToken);

        Assert.Contains("allowedRegistries", await Api.ErrorKeysAsync(await admin.PatchAsJsonAsync($"/api/v1/teams/{scenario.TeamName}",
            new { allowedRegistries = new[] { "ghcr.io" } })));
        Assert.Contains("image", await Api.ErrorKeysAsync(await admin.PostAsJsonAsync("/api/v1/apps",
            new { name = Unique.Name("app"), team = scenario.TeamName, image = "localhost/paddock-demo:1", port = 8080 })));
        await Api.EnsureAsync(await admin.PostAsJsonAsync("/api/v1/apps",
            new { name = Unique.Name("app"), team = scenario.TeamName, image = "registry.example.com/team/app:1", port = 8080 }), HttpStatusCode.Created);
    }
}
