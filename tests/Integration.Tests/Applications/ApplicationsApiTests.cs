using System.Net;
using System.Net.Http.Json;
using System.Text;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Applications;

public sealed class ApplicationsApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Creating_an_app_answers_201_with_its_location_etag_and_view()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("web");

        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Post, "/api/v1/apps", scenario.AppBody(name, b =>
        {
            b["description"] = "The shop front";
            b["repositoryUrl"] = "https://git.example.com/shop/web";
            b["command"] = new[] { "dotnet", "Web.dll" };
            b["env"] = new Dictionary<string, string> { ["LOG_LEVEL"] = "info" };
            b["healthCheck"] = new { type = "tcp", intervalSeconds = 5, timeoutSeconds = 30 };
            b["replicas"] = 2;
            b["limits"] = new { cpuMillicores = 500, memoryMiB = 256 };
        }));

        await Api.EnsureAsync(response, HttpStatusCode.Created);
        Assert.Equal($"/api/v1/apps/{name}", response.Headers.Location?.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        var app = await response.JsonAsync();
        Assert.Equal(name, app.GetProperty("name").GetString());
        Assert.Equal(scenario.TeamName, app.GetProperty("team").GetString());
        Assert.Equal("registry.example.com/shop/web:1.0", app.GetProperty("image").GetString());
        Assert.Equal(8080, app.GetProperty("port").GetInt32());
        Assert.Equal("The shop front", app.GetProperty("description").GetString());
        Assert.Equal("https://git.example.com/shop/web", app.GetProperty("repositoryUrl").GetString());
        Assert.Equal(["dotnet", "Web.dll"], app.GetProperty("command").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("info", app.GetProperty("env").GetProperty("LOG_LEVEL").GetString());
        Assert.Equal("tcp", app.GetProperty("healthCheck").GetProperty("type").GetString());
        Assert.Equal(5, app.GetProperty("healthCheck").GetProperty("intervalSeconds").GetInt32());
        Assert.Equal(2, app.GetProperty("replicas").GetInt32());
        Assert.Equal(500, app.GetProperty("limits").GetProperty("cpuMillicores").GetInt32());
        Assert.Equal(256, app.GetProperty("limits").GetProperty("memoryMiB").GetInt32());

        // The app is a one-container workload too: its revision 1, drawn from these settings, is stored with it.
        var entries = portal.AuditOf(call);
        Assert.Equal(["app.created", "workload.revision_created"], entries.Select(e => e.Action).Order());
        var audit = entries.Single(e => e.Action == "app.created");
        Assert.Equal(scenario.Team.Id, audit.TeamId);
        Assert.Equal(app.GetProperty("id").GetGuid(), audit.ApplicationId);

        var read = await scenario.Viewer.GetAsync($"/api/v1/apps/{name}");
        await Api.EnsureAsync(read, HttpStatusCode.OK);
        Assert.Equal(response.Headers.ETag, read.Headers.ETag);
    }

    [Fact]
    public async Task Every_invalid_field_is_reported_at_once_under_its_own_key()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var body = new Dictionary<string, object?>
        {
            ["name"] = "Not_A_Label",
            ["team"] = scenario.TeamName,
            ["image"] = "UPPER/case:tag with space",
            ["port"] = 70000,
            ["repositoryUrl"] = "ftp://example.com/repo",
            ["env"] = new Dictionary<string, string> { ["1BAD"] = "x" },
            ["secrets"] = new Dictionary<string, string> { ["bad-name"] = "x" },
            ["healthCheck"] = new { type = "udp" },
            ["replicas"] = 51,
            ["limits"] = new { cpuMillicores = 1 },
        };

        var keys = await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync("/api/v1/apps", body));

        Assert.Equal(
            new HashSet<string> { "name", "image", "port", "repositoryUrl", "env.1BAD", "secrets.bad-name", "healthCheck.type", "replicas", "limits" },
            keys);
    }

    [Theory]
    [InlineData("name", "kube-things")]
    [InlineData("name", "paddock")]
    [InlineData("image", "")]
    [InlineData("port", 0)]
    [InlineData("replicas", -1)]
    public async Task One_bad_field_is_a_400_naming_that_field(string field, object value)
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var body = scenario.AppBody(Unique.Name("app"), b => b[field] = value);

        var keys = await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync("/api/v1/apps", body));

        Assert.Equal([field], keys);
    }

    [Fact]
    public async Task An_http_health_check_needs_a_path_starting_with_a_slash()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var body = scenario.AppBody(Unique.Name("app"), b => b["healthCheck"] = new { type = "http", path = "health" });

        Assert.Equal(["healthCheck"], await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync("/api/v1/apps", body)));
    }

    [Fact]
    public async Task An_unknown_or_invisible_team_is_a_field_error_on_team()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var stranger = await TeamScenario.CreateAsync(portal);

        var unknown = scenario.AppBody(Unique.Name("app"), b => b["team"] = "no-such-team");
        var invisible = scenario.AppBody(Unique.Name("app"), b => b["team"] = stranger.TeamName);

        Assert.Equal(["team"], await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync("/api/v1/apps", unknown)));
        Assert.Equal(["team"], await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync("/api/v1/apps", invisible)));
    }

    [Fact]
    public async Task App_names_are_unique_across_the_platform()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var other = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("dup");
        await scenario.CreateAppAsync(name);
        var auditBefore = portal.AuditCount();

        var response = await other.Member.PostAsJsonAsync("/api/v1/apps", other.AppBody(name));

        await Api.EnsureAsync(response, HttpStatusCode.Conflict);
        Assert.Contains("whole platform", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(auditBefore, portal.AuditCount());
    }

    [Fact]
    public async Task Viewers_and_deploy_tokens_cannot_create_or_change_apps()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name);
        var deployToken = await scenario.TeamTokenClientAsync(TokenScope.Deploy);

        Assert.Equal(HttpStatusCode.Forbidden, (await scenario.Viewer.PostAsJsonAsync("/api/v1/apps", scenario.AppBody(Unique.Name("app")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await deployToken.PostAsJsonAsync("/api/v1/apps", scenario.AppBody(Unique.Name("app")))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scenario.Viewer.PatchAsJsonAsync($"/api/v1/apps/{name}", new { port = 9090 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await deployToken.PatchAsJsonAsync($"/api/v1/apps/{name}", new { port = 9090 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await deployToken.DeleteAsync($"/api/v1/apps/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await deployToken.GetAsync($"/api/v1/apps/{name}")).StatusCode);
    }

    [Fact]
    public async Task Another_teams_app_does_not_exist_for_you()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var stranger = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Owner.GetAsync($"/api/v1/apps/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Owner.PatchAsJsonAsync($"/api/v1/apps/{name}", new { port = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Owner.DeleteAsync($"/api/v1/apps/{name}")).StatusCode);
        var listed = await (await stranger.Owner.GetAsync("/api/v1/apps")).JsonAsync();
        Assert.DoesNotContain(listed.EnumerateArray(), a => a.GetProperty("name").GetString() == name);
    }

    [Fact]
    public async Task Listing_shows_the_apps_of_your_teams_and_can_narrow_to_one_team()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var first = Unique.Name("one");
        await scenario.CreateAppAsync(first);
        var second = await TeamScenario.CreateAsync(portal);
        var other = Unique.Name("two");
        await second.CreateAppAsync(other);

        var all = await (await portal.AdminClient().GetAsync("/api/v1/apps")).JsonAsync();
        var narrowed = await (await portal.AdminClient().GetAsync($"/api/v1/apps?team={scenario.TeamName}")).JsonAsync();
        var mine = await (await scenario.Viewer.GetAsync("/api/v1/apps")).JsonAsync();

        Assert.Contains(all.EnumerateArray(), a => a.GetProperty("name").GetString() == other);
        Assert.Equal([first], narrowed.EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal([first], mine.EnumerateArray().Select(a => a.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task A_patch_merges_fields_and_changes_the_etag()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name, b => b["env"] = new Dictionary<string, string> { ["KEEP"] = "1", ["DROP"] = "2" });
        var etag = (await scenario.Member.GetAsync($"/api/v1/apps/{name}")).Headers.ETag!.Tag;

        var (patched, call) = await scenario.Member.CallAsync(HttpMethod.Patch, $"/api/v1/apps/{name}",
            new Dictionary<string, object?> { ["port"] = 9090, ["env"] = new Dictionary<string, string?> { ["DROP"] = null, ["ADD"] = "3" }, ["limits"] = new { memoryMiB = 128 } },
            ifMatch: etag);

        await Api.EnsureAsync(patched, HttpStatusCode.OK);
        var app = await patched.JsonAsync();
        Assert.Equal(9090, app.GetProperty("port").GetInt32());
        Assert.Equal("registry.example.com/shop/web:1.0", app.GetProperty("image").GetString());
        Assert.Equal(["ADD", "KEEP"], app.GetProperty("env").EnumerateObject().Select(p => p.Name));
        Assert.Equal(128, app.GetProperty("limits").GetProperty("memoryMiB").GetInt32());
        var reread = await scenario.Member.GetAsync($"/api/v1/apps/{name}");
        Assert.NotEqual(etag, reread.Headers.ETag!.Tag);
        Assert.Equal(patched.Headers.ETag!.Tag, reread.Headers.ETag.Tag);
        // Port, variables and limits are the workload's: the edit is its next revision.
        Assert.Equal(["app.updated", "workload.revision_created"], portal.AuditOf(call).Select(e => e.Action).Order());
    }

    [Fact]
    public async Task Name_and_team_cannot_change_through_a_patch()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name);

        var keys = await Api.ErrorKeysAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}", new { name = "renamed", team = "elsewhere" }));

        Assert.Equal(["name", "team"], keys.Order());
        Assert.Equal(HttpStatusCode.OK, (await scenario.Member.GetAsync($"/api/v1/apps/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}", new { name, team = scenario.TeamName })).StatusCode);
    }

    [Fact]
    public async Task A_patch_with_a_stale_etag_is_refused_with_412_and_changes_nothing()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name);
        var stale = (await scenario.Member.GetAsync($"/api/v1/apps/{name}")).Headers.ETag!.Tag;
        await Api.EnsureAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}", new { port = 9000 }), HttpStatusCode.OK);
        var auditBefore = portal.AuditCount();

        var (response, _) = await scenario.Member.CallAsync(HttpMethod.Patch, $"/api/v1/apps/{name}",
            new { port = 7000, secrets = new { TOKEN = "x" } }, ifMatch: stale);

        await Api.EnsureAsync(response, HttpStatusCode.PreconditionFailed);
        var app = await (await scenario.Member.GetAsync($"/api/v1/apps/{name}")).JsonAsync();
        Assert.Equal(9000, app.GetProperty("port").GetInt32());
        Assert.Empty(app.GetProperty("secrets").EnumerateArray());
        Assert.Equal(auditBefore, portal.AuditCount());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await scenario.Member.CallAsync(HttpMethod.Delete, $"/api/v1/apps/{name}", ifMatch: stale)).Response.StatusCode);
    }

    [Fact]
    public async Task Unknown_patch_fields_and_wrong_types_are_field_errors()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name);

        var keys = await Api.ErrorKeysAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}",
            new { prot = 1, port = "eighty", healthCheck = new { intervalSeconds = "often" } }));

        Assert.Equal(["healthCheck.intervalSeconds", "port", "prot"], keys.Order());
    }

    [Fact]
    public async Task Deleting_an_app_is_refused_while_it_has_live_environments_then_keeps_its_row_and_frees_the_name()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        var created = await scenario.CreateAppAsync(name);
        await scenario.CreateEnvironmentAsync(name, "dev");

        var refused = await scenario.Member.DeleteAsync($"/api/v1/apps/{name}");
        await Api.EnsureAsync(refused, HttpStatusCode.Conflict);
        Assert.Contains("dev", (await refused.JsonAsync()).GetProperty("detail").GetString());

        await Api.EnsureAsync(await scenario.Member.DeleteAsync($"/api/v1/apps/{name}/environments/dev"), HttpStatusCode.Accepted);
        var (deleted, call) = await scenario.Member.CallAsync(HttpMethod.Delete, $"/api/v1/apps/{name}");

        await Api.EnsureAsync(deleted, HttpStatusCode.NoContent);
        Assert.Equal("app.deleted", Assert.Single(portal.AuditOf(call)).Action);
        Assert.Equal(HttpStatusCode.NotFound, (await scenario.Member.GetAsync($"/api/v1/apps/{name}")).StatusCode);
        var id = created.GetProperty("id").GetGuid();
        Assert.NotNull(portal.WithDb(db => db.Applications.Single(a => a.Id == id).DeletedAt));
        var again = await scenario.CreateAppAsync(name);
        Assert.NotEqual(id, again.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name);

        foreach (var (method, url) in new[] { (HttpMethod.Post, "/api/v1/apps"), (HttpMethod.Patch, $"/api/v1/apps/{name}") })
        {
            var response = await scenario.Member.SendAsync(new HttpRequestMessage(method, url)
            {
                Content = new StringContent("{\"name\": \"oops\",", Encoding.UTF8, "application/json"),
            });
            await Api.EnsureAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task A_patch_may_be_sent_as_application_merge_patch_json()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name, b => b["repositoryUrl"] = "https://git.example.com/a");

        var response = await scenario.Member.PatchAsync($"/api/v1/apps/{name}",
            new StringContent("{\"repositoryUrl\": null, \"description\": \"merged\"}", Encoding.UTF8, "application/merge-patch+json"));

        await Api.EnsureAsync(response, HttpStatusCode.OK);
        var app = await response.JsonAsync();
        Assert.Equal("merged", app.GetProperty("description").GetString());
        Assert.False(app.TryGetProperty("repositoryUrl", out _));
    }
}
