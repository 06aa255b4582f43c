using System.Net;
using Microsoft.EntityFrameworkCore;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Webhooks;

public sealed class WebhooksApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task The_secret_is_shown_once_and_stored_only_encrypted()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("github");

        var listed = await (await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/webhooks")).Content.ReadAsStringAsync();
        Assert.Contains(hook.Id.ToString(), listed);
        Assert.DoesNotContain(hook.Secret, listed);
        var stored = portal.WithDb(db => db.Webhooks.AsNoTracking().Single(h => h.Id == hook.Id).ProtectedSecret);
        Assert.DoesNotContain(hook.Secret, stored);
        Assert.DoesNotContain(portal.WithDb(db => db.AuditEvents.AsNoTracking().Select(e => (e.Before ?? "") + (e.After ?? "")).ToList()), a => a.Contains(hook.Secret));
    }

    [Fact]
    public async Task Push_to_deploy_needs_all_its_fields_and_an_environment_of_the_team()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var url = $"/api/v1/teams/{scenario.TeamName}/webhooks";
        var (partial, _) = await scenario.Member.CallAsync(HttpMethod.Post, url, new { source = "github", deployOnPushBranch = "main" });
        Assert.Superset(new HashSet<string> { "app", "environment", "imageTemplate" }, await Api.ErrorKeysAsync(partial));
        var (missing, _) = await scenario.Member.CallAsync(HttpMethod.Post, url, new { source = "github", deployOnPushBranch = "main", app = "nope", environment = "dev", imageTemplate = "r/a:{sha}" });
        Assert.Contains("app", await Api.ErrorKeysAsync(missing));
        var (badSource, _) = await scenario.Member.CallAsync(HttpMethod.Post, url, new { source = "gitlab" });
        Assert.Contains("source", await Api.ErrorKeysAsync(badSource));
    }

    [Fact]
    public async Task Viewers_list_hooks_but_cannot_create_or_delete_them_and_other_teams_see_nothing()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var other = await TeamScenario.CreateAsync(portal);
        var hook = await scenario.CreateHookAsync("jira");
        var url = $"/api/v1/teams/{scenario.TeamName}/webhooks";

        await Api.EnsureAsync(await scenario.Viewer.GetAsync(url), HttpStatusCode.OK);
        await Api.EnsureAsync((await scenario.Viewer.CallAsync(HttpMethod.Post, url, new { source = "jira" })).Response, HttpStatusCode.Forbidden);
        await Api.EnsureAsync(await scenario.Viewer.DeleteAsync($"{url}/{hook.Id}"), HttpStatusCode.Forbidden);
        await Api.EnsureAsync(await other.Owner.GetAsync(url), HttpStatusCode.NotFound);
        await Api.EnsureAsync(await other.Owner.DeleteAsync($"{url}/{hook.Id}"), HttpStatusCode.NotFound);

        var (deleted, call) = await scenario.Member.CallAsync(HttpMethod.Delete, $"{url}/{hook.Id}");
        await Api.EnsureAsync(deleted, HttpStatusCode.OK);
        Assert.Equal("webhook.deleted", Assert.Single(portal.AuditOf(call)).Action);
        await Api.EnsureAsync(await portal.DeliverAsync(hook, "{}"), HttpStatusCode.NotFound);
    }
}
