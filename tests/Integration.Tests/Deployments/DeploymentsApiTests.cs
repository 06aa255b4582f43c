using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Deployments;

/// <summary>No worker runs in these tests: deployments stay Queued, and what the portal handed over is checked in
/// Hangfire's queue table.</summary>
public sealed class DeploymentsApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Creating_an_environment_queues_its_first_deployment_with_the_effective_settings_and_pinned_secret_versions()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("app");
        await scenario.CreateAppAsync(app, b =>
        {
            b["env"] = new Dictionary<string, string> { ["REGION"] = "eu", ["LOG_LEVEL"] = "info" };
            b["secrets"] = new Dictionary<string, string> { ["DB_PASSWORD"] = "app-secret-value", ["API_KEY"] = "app-api-key" };
        });

        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments", new
        {
            name = "staging", stage = "Staging", backend = "docker", image = "localhost/paddock-demo:2",
            env = new Dictionary<string, string> { ["LOG_LEVEL"] = "debug" },
            secrets = new Dictionary<string, string> { ["API_KEY"] = "env-api-key" },
        });

        await Api.EnsureAsync(response, HttpStatusCode.Created);
        var env = await response.JsonAsync();
        Assert.Equal("Pending", env.GetProperty("status").GetString());
        var envId = env.GetProperty("id").GetGuid();
        var deployment = Assert.Single(portal.DeploymentsOf(envId));
        Assert.Equal(1, deployment.Revision);
        Assert.Equal(DeploymentStatus.Queued, deployment.Status);
        Assert.Equal("localhost/paddock-demo:2", deployment.Snapshot.Image);
        Assert.Equal("debug", deployment.Snapshot.Variables["LOG_LEVEL"]);
        Assert.Equal("eu", deployment.Snapshot.Variables["REGION"]);
        Assert.Equal([("API_KEY", 1, true), ("DB_PASSWORD", 1, false)],
            deployment.Snapshot.Secrets.Select(s => (s.Name, s.Version, s.EnvironmentLevel)));
        Assert.Equal(scenario.MemberName, deployment.TriggeredByName);

        var queued = Assert.Single(portal.EventsOf(envId));
        Assert.Equal((1L, "queued", deployment.Id), (queued.Sequence, queued.Phase, queued.DeploymentId));
        await portal.AssertJobEnqueuedAsync("DeployAsync", deployment.Id);
        var audit = Assert.Single(portal.AuditOf(call));
        Assert.Equal("environment.created", audit.Action);
        Assert.Contains(deployment.Id.ToString(), audit.After);

        var history = await (await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "staging")}/deployments")).JsonAsync();
        var item = Assert.Single(history.GetProperty("items").EnumerateArray());
        Assert.Equal(deployment.Id, item.GetProperty("id").GetGuid());
        var secrets = item.GetProperty("snapshot").GetProperty("secrets").EnumerateArray()
            .Select(s => (s.GetProperty("name").GetString(), s.GetProperty("version").GetInt32(), s.GetProperty("source").GetString()));
        Assert.Equal([("API_KEY", 1, "environment"), ("DB_PASSWORD", 1, "application")], secrets);
        var text = history.GetRawText();
        Assert.DoesNotContain("app-secret-value", text);
        Assert.DoesNotContain("env-api-key", text);
        foreach (var table in new[] { "deployments", "environment_events", "audit_events" })
            Assert.DoesNotContain("app-secret-value", await portal.RawTableTextAsync(table));
    }

    [Fact]
    public async Task Deploying_with_an_image_queues_the_next_revision_and_answers_202_with_its_url()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");

        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Post, $"{EnvironmentPath(app, "dev")}/deployments",
            new { image = "localhost/paddock-demo:2", tickets = new[] { "PAY-123", "OPS-7" }, message = "New checkout" });

        await Api.EnsureAsync(response, HttpStatusCode.Accepted);
        var body = await response.JsonAsync();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/deployments/{id}", body.GetProperty("url").GetString());
        Assert.Equal($"/api/v1/deployments/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal(2, body.GetProperty("revision").GetInt32());
        Assert.Equal("Queued", body.GetProperty("status").GetString());
        Assert.Equal("localhost/paddock-demo:2", body.GetProperty("image").GetString());
        Assert.Equal(["PAY-123", "OPS-7"], body.GetProperty("tickets").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("New checkout", body.GetProperty("message").GetString());
        Assert.Equal(scenario.MemberName, body.GetProperty("triggeredBy").GetProperty("name").GetString());

        var read = await (await scenario.Viewer.GetAsync($"/api/v1/deployments/{id}")).JsonAsync();
        Assert.Equal(2, read.GetProperty("revision").GetInt32());
        Assert.Equal("dev", read.GetProperty("environment").GetString());
        Assert.Equal(app, read.GetProperty("app").GetString());
        Assert.Equal(["deployment.queued", "environment.image_changed"], portal.AuditOf(call).Select(e => e.Action).Order());
        Assert.Equal(["queued", "queued"], portal.EventsOf(envId).Select(e => e.Phase));
        await portal.AssertJobEnqueuedAsync("DeployAsync", id);

        var history = await (await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "dev")}/deployments?pageSize=1")).JsonAsync();
        Assert.Equal(2, history.GetProperty("total").GetInt32());
        Assert.Equal(2, history.GetProperty("nextPage").GetInt32());
        Assert.Equal(2, Assert.Single(history.GetProperty("items").EnumerateArray()).GetProperty("revision").GetInt32());
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_same_deployment_instead_of_a_new_one()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        async Task<(HttpResponseMessage, string)> DeployAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"{EnvironmentPath(app, "dev")}/deployments") { Content = JsonContent.Create(new { message = "once" }) };
            request.Headers.Add("Idempotency-Key", "build-4711");
            var response = await scenario.Member.SendAsync(request);
            return (response, await response.Content.ReadAsStringAsync());
        }

        var (first, firstBody) = await DeployAsync();
        var auditAfterFirst = portal.AuditCount();
        var (second, secondBody) = await DeployAsync();

        await Api.EnsureAsync(first, HttpStatusCode.Accepted);
        await Api.EnsureAsync(second, HttpStatusCode.Accepted);
        Assert.Equal(JsonDocument.Parse(firstBody).RootElement.GetProperty("id").GetGuid(), JsonDocument.Parse(secondBody).RootElement.GetProperty("id").GetGuid());
        Assert.Equal(2, portal.DeploymentsOf(envId).Count);
        Assert.Equal(auditAfterFirst, portal.AuditCount());
    }

    [Theory]
    [InlineData("pay-123")]
    [InlineData("PAY")]
    [InlineData("PAY-12a")]
    [InlineData("P-1")]
    public async Task A_ticket_that_is_not_an_issue_key_is_a_field_error(string ticket)
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");

        var keys = await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync($"{EnvironmentPath(app, "dev")}/deployments", new { tickets = new[] { "PAY-1", ticket } }));

        Assert.Equal(["tickets"], keys);
        Assert.Single(portal.DeploymentsOf(envId));
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=two", "page")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=-1&pageSize=0", "page,pageSize")]
    public async Task Paging_out_of_range_is_a_field_error_naming_the_query_parameter(string query, string fields)
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();

        var keys = await Api.ErrorKeysAsync(await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "dev")}/deployments?{query}"));

        Assert.Equal(fields.Split(',').ToHashSet(), keys);
    }

    [Fact]
    public async Task More_than_twenty_tickets_are_refused()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var tickets = Enumerable.Range(1, 21).Select(i => $"PAY-{i}").ToArray();

        var keys = await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync($"{EnvironmentPath(app, "dev")}/deployments", new { tickets }));

        Assert.Equal(["tickets"], keys);
    }

    [Fact]
    public async Task Cancelling_a_queued_deployment_ends_it_at_once_and_cancelling_an_ended_one_is_a_conflict()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        var id = Assert.Single(portal.DeploymentsOf(envId)).Id;

        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/deployments/{id}/cancel");
        var again = await scenario.Member.PostAsync($"/api/v1/deployments/{id}/cancel", null);

        await Api.EnsureAsync(response, HttpStatusCode.OK);
        var body = await response.JsonAsync();
        Assert.Equal("Cancelled", body.GetProperty("status").GetString());
        Assert.True(body.TryGetProperty("finishedAt", out _));
        Assert.Equal("deployment.cancelled", Assert.Single(portal.AuditOf(call)).Action);
        Assert.Equal("cancelled", portal.EventsOf(envId)[^1].Phase);
        await Api.EnsureAsync(again, HttpStatusCode.Conflict);
        Assert.Equal(DeploymentStatus.Cancelled, Assert.Single(portal.DeploymentsOf(envId)).Status);
    }

    [Fact]
    public async Task Redeploying_needs_a_reason_and_brings_back_the_old_snapshot_with_its_pinned_secret_versions()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b => b["secrets"] = new Dictionary<string, string> { ["TOKEN"] = "first" });
        var envId = portal.EnvironmentId(app, "dev");
        var first = Assert.Single(portal.DeploymentsOf(envId));
        await Api.EnsureAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}",
            new { image = "localhost/paddock-demo:2", secrets = new Dictionary<string, string> { ["TOKEN"] = "second" } }), HttpStatusCode.OK);
        await Api.EnsureAsync(await scenario.Member.PostAsJsonAsync($"{EnvironmentPath(app, "dev")}/deployments", new { }), HttpStatusCode.Accepted);
        Assert.Equal(2, portal.DeploymentsOf(envId)[1].Snapshot.Secrets.Single().Version);

        var withoutReason = await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync($"/api/v1/deployments/{first.Id}/redeploy", new { }));
        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/deployments/{first.Id}/redeploy", new { reason = "v2 breaks checkout" });

        Assert.Equal(["reason"], withoutReason);
        await Api.EnsureAsync(response, HttpStatusCode.Accepted);
        var body = await response.JsonAsync();
        Assert.Equal(3, body.GetProperty("revision").GetInt32());
        Assert.Equal(first.Id, body.GetProperty("redeployOf").GetGuid());
        Assert.Equal("v2 breaks checkout", body.GetProperty("message").GetString());
        Assert.Equal("registry.example.com/shop/web:1.0", body.GetProperty("image").GetString());
        var redeployed = portal.DeploymentsOf(envId)[2];
        Assert.Equal(first.Snapshot.Secrets.Single().SecretVersionId, redeployed.Snapshot.Secrets.Single().SecretVersionId);
        Assert.Equal(1, redeployed.Snapshot.Secrets.Single().Version);
        Assert.Equal(["deployment.redeployed", "environment.image_changed"], portal.AuditOf(call).Select(e => e.Action).Order());
        await portal.AssertJobEnqueuedAsync("DeployAsync", redeployed.Id);
    }

    [Fact]
    public async Task A_redeploy_pins_the_image_digest_the_earlier_deployment_ran_and_the_api_shows_it()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        var first = Assert.Single(portal.DeploymentsOf(envId));
        const string digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        await portal.WithDbAsync(async db =>
        {
            var deployment = await db.Deployments.FindAsync(first.Id);
            deployment!.Start("test-worker", DateTime.UtcNow);
            deployment.Succeed(digest, DateTime.UtcNow);
            return await db.SaveChangesAsync();
        });

        var shown = await (await scenario.Viewer.GetAsync($"/api/v1/deployments/{first.Id}")).JsonAsync();
        var response = await scenario.Member.PostAsJsonAsync($"/api/v1/deployments/{first.Id}/redeploy", new { reason = "the tag moved" });

        Assert.Equal(digest, shown.GetProperty("imageDigest").GetString());
        await Api.EnsureAsync(response, HttpStatusCode.Accepted);
        var body = await response.JsonAsync();
        Assert.Equal(digest, body.GetProperty("snapshot").GetProperty("imageDigest").GetString());
        Assert.Equal(digest, portal.DeploymentsOf(envId)[1].Snapshot.ImageDigest);
        Assert.Equal("sha256:0123456789ab", Paddock.Portal.Features.Deployments.DeploymentView.ShortDigest(digest));
    }

    [Fact]
    public async Task Viewers_and_read_tokens_may_read_deploy_tokens_may_deploy_and_other_teams_see_nothing()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var id = Assert.Single(portal.DeploymentsOf(portal.EnvironmentId(app, "dev"))).Id;
        var deployments = $"{EnvironmentPath(app, "dev")}/deployments";
        var deployToken = await scenario.TeamTokenClientAsync(TokenScope.Deploy);
        var readToken = await scenario.TeamTokenClientAsync(TokenScope.Read);
        var stranger = await TeamScenario.CreateAsync(portal);

        Assert.Equal(HttpStatusCode.Forbidden, (await scenario.Viewer.PostAsJsonAsync(deployments, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readToken.PostAsJsonAsync(deployments, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scenario.Viewer.PostAsJsonAsync($"/api/v1/deployments/{id}/redeploy", new { reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scenario.Viewer.PostAsync($"/api/v1/deployments/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await readToken.GetAsync($"/api/v1/deployments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scenario.Viewer.GetAsync(deployments)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Owner.GetAsync($"/api/v1/deployments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Owner.PostAsJsonAsync(deployments, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Owner.PostAsync($"/api/v1/deployments/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await scenario.Member.GetAsync($"/api/v1/deployments/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await deployToken.PostAsJsonAsync(deployments, new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await deployToken.PostAsJsonAsync($"/api/v1/deployments/{id}/redeploy", new { reason = "ci rollback" })).StatusCode);
    }

    [Fact]
    public async Task An_environment_being_deleted_cannot_be_deployed()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var first = Assert.Single(portal.DeploymentsOf(portal.EnvironmentId(app, "dev")));
        await Api.EnsureAsync(await scenario.Member.DeleteAsync(EnvironmentPath(app, "dev")), HttpStatusCode.Accepted);

        var deploy = await scenario.Member.PostAsJsonAsync($"{EnvironmentPath(app, "dev")}/deployments", new { });
        var redeploy = await scenario.Member.PostAsJsonAsync($"/api/v1/deployments/{first.Id}/redeploy", new { reason = "back" });

        await Api.EnsureAsync(deploy, HttpStatusCode.Conflict);
        await Api.EnsureAsync(redeploy, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Changing_settings_marks_only_environments_with_a_current_deployment_out_of_sync_until_they_match_again()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("app");
        await scenario.CreateAppAsync(app);
        await scenario.CreateEnvironmentAsync(app, "live");
        await scenario.CreateEnvironmentAsync(app, "fresh");
        var live = portal.EnvironmentId(app, "live");
        var fresh = portal.EnvironmentId(app, "fresh");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(live)).Id);
        Assert.Equal(EnvironmentSync.InSync, portal.SyncOf(live));

        await Api.EnsureAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}", new { description = "only words" }), HttpStatusCode.OK);
        Assert.Equal(EnvironmentSync.InSync, portal.SyncOf(live));

        await Api.EnsureAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}", new { image = "localhost/paddock-demo:2" }), HttpStatusCode.OK);
        Assert.Equal(EnvironmentSync.OutOfSync, portal.SyncOf(live));
        Assert.Equal(EnvironmentSync.Unknown, portal.SyncOf(fresh));
        var shown = await (await scenario.Viewer.GetAsync(EnvironmentPath(app, "live"))).JsonAsync();
        Assert.Equal("OutOfSync", shown.GetProperty("sync").GetString());

        await Api.EnsureAsync(await scenario.Member.PatchAsJsonAsync(EnvironmentPath(app, "live"), new { image = "registry.example.com/shop/web:1.0" }), HttpStatusCode.OK);
        Assert.Equal(EnvironmentSync.InSync, portal.SyncOf(live));

        await Api.EnsureAsync(await scenario.Member.PatchAsJsonAsync(EnvironmentPath(app, "live"), new { secrets = new Dictionary<string, string> { ["NEW"] = "value" } }), HttpStatusCode.OK);
        Assert.Equal(EnvironmentSync.OutOfSync, portal.SyncOf(live));
    }
}
