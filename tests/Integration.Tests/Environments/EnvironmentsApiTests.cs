using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Applications;
using Paddock.Domain.Names;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Environments;

public sealed class EnvironmentsApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static string Environments(string app) => $"/api/v1/apps/{app}/environments";

    private async Task<(TeamScenario Scenario, string App)> AppAsync(Action<Dictionary<string, object?>>? with = null)
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("app");
        await scenario.CreateAppAsync(app, with);
        return (scenario, app);
    }

    [Fact]
    public async Task Creating_an_environment_shows_its_overrides_effective_settings_and_a_pending_status()
    {
        var (scenario, app) = await AppAsync(b =>
        {
            b["env"] = new Dictionary<string, string> { ["LOG_LEVEL"] = "info", ["REGION"] = "eu" };
            b["replicas"] = 2;
            b["limits"] = new { cpuMillicores = 500, memoryMiB = 256 };
        });

        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Post, Environments(app), new
        {
            name = "staging",
            stage = "STAGING",
            backend = "docker",
            image = "registry.example.com/shop/web:2.0",
            limits = new { memoryMiB = 512 },
            env = new Dictionary<string, string> { ["LOG_LEVEL"] = "debug" },
        });

        await Api.EnsureAsync(response, HttpStatusCode.Created);
        Assert.Equal($"{Environments(app)}/staging", response.Headers.Location?.OriginalString);
        Assert.NotNull(response.Headers.ETag);
        var env = await response.JsonAsync();
        Assert.Equal("staging", env.GetProperty("name").GetString());
        Assert.Equal(app, env.GetProperty("app").GetString());
        Assert.Equal("Staging", env.GetProperty("stage").GetString());
        Assert.Equal("docker", env.GetProperty("backend").GetString());
        Assert.Equal($"{app}-staging", env.GetProperty("resourceName").GetString());
        Assert.Equal("registry.example.com/shop/web:2.0", env.GetProperty("overrides").GetProperty("image").GetString());
        var effective = env.GetProperty("effective");
        Assert.Equal("registry.example.com/shop/web:2.0", effective.GetProperty("image").GetString());
        Assert.Equal(2, effective.GetProperty("replicas").GetInt32());
        Assert.Equal(500, effective.GetProperty("limits").GetProperty("cpuMillicores").GetInt32());
        Assert.Equal(512, effective.GetProperty("limits").GetProperty("memoryMiB").GetInt32());
        Assert.Equal("debug", effective.GetProperty("env").GetProperty("LOG_LEVEL").GetString());
        Assert.Equal("eu", effective.GetProperty("env").GetProperty("REGION").GetString());
        Assert.Equal("Pending", env.GetProperty("status").GetString());
        Assert.Equal("Unknown", env.GetProperty("health").GetString());
        Assert.Equal("Unknown", env.GetProperty("sync").GetString());
        Assert.False(env.TryGetProperty("currentDeploymentId", out _));
        Assert.Equal(scenario.MemberName, env.GetProperty("createdBy").GetString());
        Assert.True(env.GetProperty("createdAt").GetDateTime() > DateTime.UtcNow.AddMinutes(-5));

        var audit = Assert.Single(portal.AuditOf(call));
        Assert.Equal("environment.created", audit.Action);
        Assert.Equal(scenario.Team.Id, audit.TeamId);

        var read = await scenario.Viewer.GetAsync($"{Environments(app)}/staging");
        await Api.EnsureAsync(read, HttpStatusCode.OK);
        Assert.Equal(response.Headers.ETag, read.Headers.ETag);
        var list = await (await scenario.Viewer.GetAsync(Environments(app))).JsonAsync();
        Assert.Equal(["staging"], list.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("name", "Dev_1")]
    [InlineData("name", "a-name-longer-than-twenty")]
    [InlineData("stage", "qa")]
    [InlineData("stage", "2")]
    [InlineData("backend", "kubernetes")]
    [InlineData("image", "Not An Image")]
    [InlineData("replicas", 99)]
    public async Task One_bad_field_is_a_400_naming_that_field(string field, object value)
    {
        var (scenario, app) = await AppAsync();
        var body = new Dictionary<string, object?> { ["name"] = "dev", ["stage"] = "Development", ["backend"] = "docker", [field] = value };

        Assert.Equal([field], await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync(Environments(app), body)));
    }

    [Fact]
    public async Task Bad_limits_and_variable_names_are_field_errors()
    {
        var (scenario, app) = await AppAsync();
        var body = new
        {
            name = "dev", stage = "Development", backend = "docker",
            limits = new { memoryMiB = 1 },
            env = new Dictionary<string, string> { ["9LIVES"] = "x" },
            secrets = new Dictionary<string, string> { ["has space"] = "x" },
        };

        var keys = await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync(Environments(app), body));

        Assert.Equal(["env.9LIVES", "limits", "secrets.has space"], keys.Order());
    }

    [Fact]
    public async Task An_unknown_backend_is_refused_with_the_known_ones_listed()
    {
        var (scenario, app) = await AppAsync();

        var response = await scenario.Member.PostAsJsonAsync(Environments(app), new { name = "dev", stage = "Development", backend = "nomad" });

        await Api.EnsureAsync(response, HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["backend"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("docker", errors.GetProperty("backend")[0].GetString());
    }

    [Fact]
    public async Task A_reserved_derived_resource_name_is_refused()
    {
        // An app named before "kube" was reserved: its "system" environment would be the cluster's kube-system.
        var scenario = await TeamScenario.CreateAsync(portal);
        portal.WithDb(db =>
        {
            db.Applications.Add(new Application(AppName.FromTrusted("kube"), scenario.Team.Id, "nginx", 80, DateTime.UtcNow));
            return db.SaveChanges();
        });

        var response = await scenario.Member.PostAsJsonAsync(Environments("kube"), new { name = "system", stage = "Development", backend = "docker" });

        Assert.Equal(["name"], await Api.ErrorKeysAsync(response));
    }

    [Fact]
    public async Task A_second_environment_of_the_same_name_is_a_conflict()
    {
        var (scenario, app) = await AppAsync();
        await scenario.CreateEnvironmentAsync(app, "dev");
        var auditBefore = portal.AuditCount();

        var response = await scenario.Member.PostAsJsonAsync(Environments(app), new { name = "dev", stage = "Staging", backend = "docker" });

        await Api.EnsureAsync(response, HttpStatusCode.Conflict);
        Assert.Equal(auditBefore, portal.AuditCount());
    }

    [Fact]
    public async Task Environments_whose_derived_resource_names_collide_are_a_conflict()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var stem = Unique.Name("x");
        await scenario.CreateAppAsync($"{stem}-b");
        await scenario.CreateAppAsync(stem);
        await scenario.CreateEnvironmentAsync($"{stem}-b", "c");

        var response = await scenario.Member.PostAsJsonAsync(Environments(stem), new { name = "b-c", stage = "Development", backend = "docker" });

        await Api.EnsureAsync(response, HttpStatusCode.Conflict);
        Assert.Contains($"{stem}-b-c", (await response.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_resource_name_taken_by_another_team_is_a_conflict_that_does_not_name_their_app_or_environment()
    {
        var theirs = await TeamScenario.CreateAsync(portal);
        var ours = await TeamScenario.CreateAsync(portal);
        var stem = Unique.Name("x");
        await theirs.CreateAppAsync($"{stem}-secretproject");
        await theirs.CreateEnvironmentAsync($"{stem}-secretproject", "launch");
        await ours.CreateAppAsync(stem);

        var response = await ours.Member.PostAsJsonAsync(Environments(stem), new { name = "secretproject-launch", stage = "Development", backend = "docker" });

        await Api.EnsureAsync(response, HttpStatusCode.Conflict);
        var answer = await response.Content.ReadAsStringAsync();
        Assert.Contains("already in use", answer);
        Assert.DoesNotContain($"'{stem}-secretproject'", answer);
        Assert.DoesNotContain("'launch'", answer);
    }

    [Fact]
    public async Task Deleting_an_environment_answers_202_shows_it_deleting_and_hands_its_teardown_to_the_workers()
    {
        var (scenario, app) = await AppAsync();
        var created = await scenario.CreateEnvironmentAsync(app, "preview");
        var id = created.GetProperty("id").GetGuid();

        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Delete, $"{Environments(app)}/preview");

        await Api.EnsureAsync(response, HttpStatusCode.Accepted);
        Assert.Equal("Deleting", (await response.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal("environment.deleted", Assert.Single(portal.AuditOf(call)).Action);
        // No worker runs here: the environment stays visible as Deleting until the teardown job marks it deleted.
        var shown = await scenario.Member.GetAsync($"{Environments(app)}/preview");
        await Api.EnsureAsync(shown, HttpStatusCode.OK);
        Assert.Equal("Deleting", (await shown.JsonAsync()).GetProperty("status").GetString());
        Assert.Null(portal.WithDb(db => db.Environments.AsNoTracking().Single(e => e.Id == id).DeletedAt));
        await portal.AssertJobEnqueuedAsync("TearDownAsync", id);
        Assert.Equal(HttpStatusCode.Conflict, (await scenario.Member.PostAsJsonAsync(Environments(app), new { name = "preview", stage = "Preview", backend = "docker" })).StatusCode);
    }

    [Fact]
    public async Task A_patch_changes_stage_and_overrides_moves_the_etag_and_writes_one_audit_event()
    {
        var (scenario, app) = await AppAsync();
        await scenario.CreateEnvironmentAsync(app, "dev", new { name = "dev", stage = "Development", backend = "docker", replicas = 3, env = new Dictionary<string, string> { ["A"] = "1", ["B"] = "2" } });
        var etag = (await scenario.Member.GetAsync($"{Environments(app)}/dev")).Headers.ETag!.Tag;

        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Patch, $"{Environments(app)}/dev",
            new Dictionary<string, object?> { ["stage"] = "preview", ["replicas"] = null, ["env"] = new Dictionary<string, string?> { ["A"] = null } },
            ifMatch: etag);

        await Api.EnsureAsync(response, HttpStatusCode.OK);
        var env = await response.JsonAsync();
        Assert.Equal("Preview", env.GetProperty("stage").GetString());
        Assert.False(env.GetProperty("overrides").TryGetProperty("replicas", out _));
        Assert.Equal(1, env.GetProperty("effective").GetProperty("replicas").GetInt32());
        Assert.Equal(["B"], env.GetProperty("overrides").GetProperty("env").EnumerateObject().Select(p => p.Name));
        Assert.Equal("environment.updated", Assert.Single(portal.AuditOf(call)).Action);
        var reread = await scenario.Member.GetAsync($"{Environments(app)}/dev");
        Assert.NotEqual(etag, reread.Headers.ETag!.Tag);
    }

    [Fact]
    public async Task Renaming_or_moving_an_environment_is_refused()
    {
        var (scenario, app) = await AppAsync();
        await scenario.CreateEnvironmentAsync(app, "dev");

        var keys = await Api.ErrorKeysAsync(await scenario.Member.PatchAsJsonAsync($"{Environments(app)}/dev", new { name = "prod", backend = "kubernetes" }));

        Assert.Equal(["backend", "name"], keys.Order());
    }

    [Fact]
    public async Task A_patch_or_delete_with_a_stale_etag_is_refused_with_412_and_changes_nothing()
    {
        var (scenario, app) = await AppAsync();
        await scenario.CreateEnvironmentAsync(app, "dev");
        var stale = (await scenario.Member.GetAsync($"{Environments(app)}/dev")).Headers.ETag!.Tag;
        await Api.EnsureAsync(await scenario.Member.PatchAsJsonAsync($"{Environments(app)}/dev", new { replicas = 4 }), HttpStatusCode.OK);
        var auditBefore = portal.AuditCount();

        var patch = await scenario.Member.CallAsync(HttpMethod.Patch, $"{Environments(app)}/dev", new { replicas = 7 }, ifMatch: stale);
        var delete = await scenario.Member.CallAsync(HttpMethod.Delete, $"{Environments(app)}/dev", ifMatch: stale);

        Assert.Equal(HttpStatusCode.PreconditionFailed, patch.Response.StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, delete.Response.StatusCode);
        var env = await (await scenario.Member.GetAsync($"{Environments(app)}/dev")).JsonAsync();
        Assert.Equal(4, env.GetProperty("overrides").GetProperty("replicas").GetInt32());
        Assert.Equal(auditBefore, portal.AuditCount());
    }

    [Fact]
    public async Task Reading_needs_read_access_and_changing_needs_the_member_role()
    {
        var (scenario, app) = await AppAsync();
        await scenario.CreateEnvironmentAsync(app, "dev");
        var deploy = await scenario.TeamTokenClientAsync(TokenScope.Deploy);
        var read = await scenario.TeamTokenClientAsync(TokenScope.Read);
        var body = new { name = "qa", stage = "Staging", backend = "docker" };

        Assert.Equal(HttpStatusCode.Forbidden, (await scenario.Viewer.PostAsJsonAsync(Environments(app), body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await deploy.PostAsJsonAsync(Environments(app), body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await deploy.PatchAsJsonAsync($"{Environments(app)}/dev", new { replicas = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scenario.Viewer.DeleteAsync($"{Environments(app)}/dev")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await read.GetAsync($"{Environments(app)}/dev")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await scenario.Owner.PostAsJsonAsync(Environments(app), body)).StatusCode);
    }

    [Fact]
    public async Task Another_teams_environments_do_not_exist_for_you()
    {
        var (scenario, app) = await AppAsync();
        await scenario.CreateEnvironmentAsync(app, "dev");
        var stranger = await TeamScenario.CreateAsync(portal);

        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Owner.GetAsync(Environments(app))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Owner.GetAsync($"{Environments(app)}/dev")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Owner.PostAsJsonAsync(Environments(app), new { name = "qa", stage = "Staging", backend = "docker" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Owner.DeleteAsync($"{Environments(app)}/dev")).StatusCode);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_problem()
    {
        var (scenario, app) = await AppAsync();
        await scenario.CreateEnvironmentAsync(app, "dev");

        foreach (var (method, url) in new[] { (HttpMethod.Post, Environments(app)), (HttpMethod.Patch, $"{Environments(app)}/dev") })
        {
            var response = await scenario.Member.SendAsync(new HttpRequestMessage(method, url)
            {
                Content = new StringContent("{\"name\": ", Encoding.UTF8, "application/json"),
            });
            await Api.EnsureAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
