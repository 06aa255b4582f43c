using System.Net;
using System.Net.Http.Json;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;

namespace Paddock.Integration.Tests.Backends;

public sealed class BackendsApiTests(LivePortal portal) : IClassFixture<LivePortal>
{
    [Fact]
    public async Task The_backends_list_says_which_engines_answer_and_why_the_others_do_not()
    {
        var response = await portal.Client(portal.AdminToken).GetAsync("/api/v1/backends");

        await Api.EnsureAsync(response, HttpStatusCode.OK);
        var backends = (await response.JsonAsync()).EnumerateArray().ToDictionary(b => b.GetProperty("name").GetString()!);
        Assert.Equal(["docker", LivePortal.UnreachableBackend], backends.Keys.Order());
        var nowhere = backends[LivePortal.UnreachableBackend];
        Assert.Equal("docker", nowhere.GetProperty("kind").GetString());
        Assert.False(nowhere.GetProperty("reachable").GetBoolean());
        Assert.Contains("127.0.0.1:9", nowhere.GetProperty("reason").GetString());
        var docker = backends["docker"];
        if (LivePortal.EngineEndpoint is null)
        {
            Assert.False(docker.GetProperty("reachable").GetBoolean());
            Assert.False(string.IsNullOrEmpty(docker.GetProperty("reason").GetString()));
        }
        else
        {
            Assert.True(docker.GetProperty("reachable").GetBoolean(), docker.ToString());
            Assert.False(string.IsNullOrEmpty(docker.GetProperty("version").GetString()));
        }
    }

    [Fact]
    public async Task Environments_may_only_name_a_configured_backend_in_any_case()
    {
        var admin = portal.Client(portal.AdminToken);
        var team = Unique.Name("team");
        var app = Unique.Name("app");
        await Api.EnsureAsync(await admin.PostAsJsonAsync("/api/v1/teams", new { name = team }), HttpStatusCode.Created);
        await Api.EnsureAsync(await admin.PostAsJsonAsync("/api/v1/apps", new { name = app, team, image = "localhost/paddock-demo:1", port = 8080 }), HttpStatusCode.Created);

        var unknown = await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = "dev", stage = "Development", backend = "kubernetes" });
        var known = await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = "dev", stage = "Development", backend = "NOWHERE" });

        await Api.EnsureAsync(unknown, HttpStatusCode.BadRequest);
        var errors = (await unknown.JsonAsync()).GetProperty("errors");
        Assert.Equal(["backend"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains($"docker, {LivePortal.UnreachableBackend}", errors.GetProperty("backend")[0].GetString());
        await Api.EnsureAsync(known, HttpStatusCode.Created);
        Assert.Equal(LivePortal.UnreachableBackend, (await known.JsonAsync()).GetProperty("backend").GetString());
    }
}
