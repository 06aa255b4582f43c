using System.Net;
using System.Net.Http.Json;
using System.Text;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Applications;

/// <summary><c>stopGracePeriodSeconds</c>: per application, overridden per environment, 0–3600, default 10.</summary>
public sealed class StopGracePeriodApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task An_apps_grace_period_is_set_read_patched_and_reset_and_an_environment_overrides_it()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        var created = await scenario.Member.PostAsJsonAsync("/api/v1/apps", scenario.AppBody(name, b => b["stopGracePeriodSeconds"] = 30));
        await Api.EnsureAsync(created, HttpStatusCode.Created);
        Assert.Equal(30, (await created.JsonAsync()).GetProperty("stopGracePeriodSeconds").GetInt32());

        var environments = $"/api/v1/apps/{name}/environments";
        var env = await scenario.Member.PostAsJsonAsync(environments, new { name = "dev", stage = "Development", backend = "docker" });
        await Api.EnsureAsync(env, HttpStatusCode.Created);
        var view = await env.JsonAsync();
        Assert.False(view.GetProperty("overrides").TryGetProperty("stopGracePeriodSeconds", out _));
        Assert.Equal(30, view.GetProperty("effective").GetProperty("stopGracePeriodSeconds").GetInt32());

        var patched = await scenario.Member.PatchAsync($"{environments}/dev", Json("{\"stopGracePeriodSeconds\": 0}"));
        await Api.EnsureAsync(patched, HttpStatusCode.OK);
        view = await patched.JsonAsync();
        Assert.Equal(0, view.GetProperty("overrides").GetProperty("stopGracePeriodSeconds").GetInt32());
        Assert.Equal(0, view.GetProperty("effective").GetProperty("stopGracePeriodSeconds").GetInt32());

        var reset = await scenario.Member.PatchAsync($"/api/v1/apps/{name}", Json("{\"stopGracePeriodSeconds\": null}"));
        await Api.EnsureAsync(reset, HttpStatusCode.OK);
        Assert.False((await reset.JsonAsync()).TryGetProperty("stopGracePeriodSeconds", out _));
        var envReset = await scenario.Member.PatchAsync($"{environments}/dev", Json("{\"stopGracePeriodSeconds\": null}"));
        await Api.EnsureAsync(envReset, HttpStatusCode.OK);
        Assert.Equal(10, (await envReset.JsonAsync()).GetProperty("effective").GetProperty("stopGracePeriodSeconds").GetInt32());

        var read = await scenario.Viewer.GetAsync($"/api/v1/apps/{name}");
        await Api.EnsureAsync(read, HttpStatusCode.OK);
        Assert.False((await read.JsonAsync()).TryGetProperty("stopGracePeriodSeconds", out _));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(3601)]
    public async Task A_grace_period_out_of_range_is_a_field_error_for_apps_and_environments(int seconds)
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        var keys = await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync("/api/v1/apps",
            scenario.AppBody(name, b => b["stopGracePeriodSeconds"] = seconds)));
        Assert.Equal(["stopGracePeriodSeconds"], keys);

        await scenario.CreateAppAsync(name);
        Assert.Equal(["stopGracePeriodSeconds"], await Api.ErrorKeysAsync(
            await scenario.Member.PatchAsync($"/api/v1/apps/{name}", Json($"{{\"stopGracePeriodSeconds\": {seconds}}}"))));
        Assert.Equal(["stopGracePeriodSeconds"], await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync(
            $"/api/v1/apps/{name}/environments", new { name = "dev", stage = "Development", backend = "docker", stopGracePeriodSeconds = seconds })));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/merge-patch+json");
}
