using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Tickets;

public sealed class TicketsApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static readonly DateTime T0 = new(2026, 10, 5, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Recording_a_ticket_creates_it_then_fills_in_what_a_later_call_adds()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var (created, call) = await scenario.Member.CallAsync(HttpMethod.Post, "/api/v1/tickets",
            new { team = scenario.TeamName, key = "PAY-10", title = "Refunds", type = "Feature", createdAt = T0 });
        await Api.EnsureAsync(created, HttpStatusCode.Created);
        Assert.Equal("ticket.created", Assert.Single(portal.AuditOf(call)).Action);

        var deployToken = await scenario.TeamTokenClientAsync(TokenScope.Deploy);
        var (updated, updateCall) = await deployToken.CallAsync(HttpMethod.Post, "/api/v1/tickets",
            new { team = scenario.TeamName, key = "PAY-10", url = "https://tracker.example.com/PAY-10", type = "Hotfix" });
        await Api.EnsureAsync(updated, HttpStatusCode.OK);
        var ticket = await updated.JsonAsync();
        Assert.Equal(("Refunds", "Hotfix", "https://tracker.example.com/PAY-10"),
            (ticket.GetProperty("title").GetString(), ticket.GetProperty("type").GetString(), ticket.GetProperty("url").GetString()));
        Assert.Equal(T0, ticket.GetProperty("createdAt").GetDateTime().ToUniversalTime());
        Assert.Equal("ticket.updated", Assert.Single(portal.AuditOf(updateCall)).Action);
    }

    [Fact]
    public async Task Bad_tickets_are_refused_field_by_field_and_viewers_cannot_record()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var other = await TeamScenario.CreateAsync(portal);
        var (bad, _) = await scenario.Member.CallAsync(HttpMethod.Post, "/api/v1/tickets", new { team = scenario.TeamName, key = "pay 1", url = "ftp://x" });
        Assert.Superset(new HashSet<string> { "key", "url" }, await Api.ErrorKeysAsync(bad));
        var (hidden, _) = await other.Owner.CallAsync(HttpMethod.Post, "/api/v1/tickets", new { team = scenario.TeamName, key = "PAY-1" });
        Assert.Contains("team", await Api.ErrorKeysAsync(hidden));
        var (viewer, _) = await scenario.Viewer.CallAsync(HttpMethod.Post, "/api/v1/tickets", new { team = scenario.TeamName, key = "PAY-1" });
        await Api.EnsureAsync(viewer, HttpStatusCode.Forbidden);
        Assert.Empty(portal.WithDb(db => db.Tickets.Where(t => t.TeamId == scenario.Team.Id).ToList()));
    }

    [Fact]
    public async Task Deploying_with_tickets_and_commits_records_the_tickets_and_carries_the_keys_found()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments/dev/deployments", new
        {
            tickets = new[] { "PAY-1" },
            branch = "feature/PAY-2-refunds",
            commits = new[] { new { sha = "a1", message = "PAY-3: totals", timestamp = T0 } },
        });
        await Api.EnsureAsync(response, HttpStatusCode.Accepted);
        var deploymentId = (await response.JsonAsync()).GetProperty("id").GetGuid();

        Assert.Equal(["PAY-1", "PAY-2", "PAY-3"], portal.WithDb(db => db.Deployments.AsNoTracking().Single(d => d.Id == deploymentId).Tickets.Order().ToList()));
        var tickets = portal.WithDb(db => db.Tickets.AsNoTracking().Where(t => t.TeamId == scenario.Team.Id).OrderBy(t => t.Key).ToList());
        Assert.Equal(["PAY-1", "PAY-2", "PAY-3"], tickets.Select(t => t.Key));
        Assert.Equal([null, T0, T0], tickets.Select(t => t.FirstCommitAt));
        Assert.Equal("deployment.queued", Assert.Single(portal.AuditOf(call)).Action);
    }

    [Fact]
    public async Task Where_is_my_ticket_shows_each_stage_with_who_deployed_and_the_time_between()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("app");
        await scenario.CreateAppAsync(app);
        foreach (var (env, stage) in new[] { ("dev", "Development"), ("staging", "Staging"), ("prod", "Production") })
            await scenario.CreateEnvironmentAsync(app, env, new { name = env, stage, backend = "docker" });
        await Api.EnsureAsync((await scenario.Member.CallAsync(HttpMethod.Post, "/api/v1/tickets",
            new { team = scenario.TeamName, key = "PAY-20", title = "Refunds", createdAt = DateTime.UtcNow.AddHours(-3) })).Response, HttpStatusCode.Created);

        foreach (var env in new[] { "dev", "staging", "prod" })
        {
            var (deployed, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments/{env}/deployments", new { tickets = new[] { "PAY-20" } });
            await Api.EnsureAsync(deployed, HttpStatusCode.Accepted);
            await portal.MarkSucceededAsync((await deployed.JsonAsync()).GetProperty("id").GetGuid());
        }
        var (failed, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments/prod/deployments", new { tickets = new[] { "PAY-20" } });
        await Api.EnsureAsync(failed, HttpStatusCode.Accepted);

        var response = await scenario.Viewer.GetAsync("/api/v1/tickets/pay-20");
        await Api.EnsureAsync(response, HttpStatusCode.OK);
        var detail = await response.JsonAsync();
        var steps = detail.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(["Created", "Development", "Staging", "Production", "RunningInProduction"], steps.Select(s => s.GetProperty("step").GetString()));
        Assert.All(steps.Skip(1), s => Assert.Equal(scenario.MemberName, s.GetProperty("by").GetString()));
        Assert.Equal("prod", steps[3].GetProperty("environment").GetString());
        Assert.All(steps.Skip(1), s => Assert.NotEqual(JsonValueKind.Null, s.GetProperty("sincePrevious").ValueKind));
        Assert.Equal("RunningInProduction", detail.GetProperty("reached").GetString());
        Assert.Equal(4, detail.GetProperty("deployments").GetArrayLength());
        Assert.Equal("Refunds", detail.GetProperty("ticket").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Other_teams_tickets_do_not_exist_and_a_key_in_two_visible_teams_needs_the_team()
    {
        var first = await TeamScenario.CreateAsync(portal);
        var second = await TeamScenario.CreateAsync(portal);
        var key = $"K{Guid.NewGuid():N}"[..8].ToUpperInvariant() + "-1";
        foreach (var s in new[] { first, second })
            await Api.EnsureAsync((await s.Member.CallAsync(HttpMethod.Post, "/api/v1/tickets", new { team = s.TeamName, key })).Response, HttpStatusCode.Created);

        await Api.EnsureAsync(await first.Viewer.GetAsync($"/api/v1/tickets/{key}"), HttpStatusCode.OK);
        await Api.EnsureAsync(await first.Viewer.GetAsync($"/api/v1/tickets/{key}?team={second.TeamName}"), HttpStatusCode.NotFound);
        await Api.EnsureAsync(await first.Viewer.GetAsync("/api/v1/tickets/NOPE-1"), HttpStatusCode.NotFound);

        var admin = portal.AdminClient();
        Assert.Contains("team", await Api.ErrorKeysAsync(await admin.GetAsync($"/api/v1/tickets/{key}")));
        var chosen = await (await admin.GetAsync($"/api/v1/tickets/{key}?team={second.TeamName}")).JsonAsync();
        Assert.Equal(second.TeamName, chosen.GetProperty("ticket").GetProperty("team").GetString());
    }
}
