using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Applications;
using Paddock.Domain.Names;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;

namespace Paddock.Integration.Tests.Audit;

public sealed class AuditListTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    /// <summary>Two teams with a user each, an app in team A, and events in both teams plus one without a team.
    /// Every test seeds its own, so tests do not see each other's events.</summary>
    private sealed record Scenario(
        Team TeamA, Team TeamB, Guid UserA, string TokenA, string TokenB, Application App,
        long TeamCreated, long MemberAdded, long AppCreated, long TeamBCreated, long UserALogin);

    private async Task<Scenario> SeedAsync()
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var (userA, tokenA) = await portal.CreateUserAsync($"a-{suffix}@example.com");
        var (userB, tokenB) = await portal.CreateUserAsync($"b-{suffix}@example.com");
        var teamA = await portal.CreateTeamAsync($"audit-a-{suffix}", (userA, TeamRole.Member));
        var teamB = await portal.CreateTeamAsync($"audit-b-{suffix}", (userB, TeamRole.Owner));
        var app = new Application(AppName.Parse($"app-{suffix}"), teamA.Id, "nginx:1.27", 80, DateTime.UtcNow);
        using (var scope = portal.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
            db.Applications.Add(app);
            await db.SaveChangesAsync();
        }

        // Apart in time, so a time range can pick out one event.
        async Task<long> Write(Paddock.Domain.Audit.AuditEntry entry)
        {
            await Task.Delay(15);
            return await AuditTestData.WriteAsync(portal, entry);
        }
        var teamCreated = await Write(AuditTestData.Entry("team.created", teamA.Id, actorId: userA.ToString(), after: new { name = teamA.Name.Value }));
        var memberAdded = await Write(AuditTestData.Entry("team.member_added", teamA.Id, actorId: "someone-else"));
        var appCreated = await Write(AuditTestData.Entry("app.created", teamA.Id, app.Id, actorId: "someone-else"));
        var teamBCreated = await Write(AuditTestData.Entry("team.created", teamB.Id, actorId: userB.ToString()));
        var userALogin = await Write(AuditTestData.Entry("user.login", actorId: userA.ToString()));
        return new Scenario(teamA, teamB, userA, tokenA, tokenB, app, teamCreated, memberAdded, appCreated, teamBCreated, userALogin);
    }

    private static async Task<JsonElement> ListAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/audit?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static List<long> Sequences(JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sequence").GetInt64()).ToList();

    [Fact]
    public async Task Filtering_by_team_lists_that_teams_events_newest_first_with_names_and_snapshots()
    {
        var s = await SeedAsync();

        var page = await ListAsync(portal.AdminClient(), $"team={s.TeamA.Name.Value}");

        Assert.Equal([s.AppCreated, s.MemberAdded, s.TeamCreated], Sequences(page));
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        var newest = page.GetProperty("items")[0];
        Assert.Equal("app.created", newest.GetProperty("action").GetString());
        Assert.Equal(s.TeamA.Name.Value, newest.GetProperty("team").GetProperty("name").GetString());
        Assert.Equal(s.App.Id, newest.GetProperty("app").GetProperty("id").GetGuid());
        Assert.Equal(s.App.Name.Value, newest.GetProperty("app").GetProperty("name").GetString());
        Assert.Equal("192.0.2.10", newest.GetProperty("clientIp").GetString());
        Assert.Equal(JsonValueKind.Object, newest.GetProperty("before").ValueKind);
        Assert.Equal("before", newest.GetProperty("before").GetProperty("state").GetString());
        var oldest = page.GetProperty("items")[2];
        Assert.Equal(s.TeamA.Name.Value, oldest.GetProperty("after").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Filtering_by_app_name_lists_the_apps_events()
    {
        var s = await SeedAsync();

        Assert.Equal([s.AppCreated], Sequences(await ListAsync(portal.AdminClient(), $"app={s.App.Name.Value}")));
    }

    [Fact]
    public async Task An_action_ending_in_a_star_matches_by_prefix_and_otherwise_exactly()
    {
        var s = await SeedAsync();
        var team = s.TeamA.Name.Value;

        Assert.Equal([s.MemberAdded, s.TeamCreated], Sequences(await ListAsync(portal.AdminClient(), $"team={team}&action=team.*")));
        Assert.Equal([s.TeamCreated], Sequences(await ListAsync(portal.AdminClient(), $"team={team}&action=team.created")));
        Assert.Empty(Sequences(await ListAsync(portal.AdminClient(), $"team={team}&action=team.")));
    }

    [Fact]
    public async Task Filtering_by_actor_lists_what_that_actor_did()
    {
        var s = await SeedAsync();

        Assert.Equal([s.UserALogin, s.TeamCreated], Sequences(await ListAsync(portal.AdminClient(), $"actor={s.UserA}")));
    }

    [Fact]
    public async Task A_time_range_includes_from_and_excludes_to()
    {
        var s = await SeedAsync();
        var all = await ListAsync(portal.AdminClient(), $"team={s.TeamA.Name.Value}");
        string At(long sequence) => Uri.EscapeDataString(all.GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("sequence").GetInt64() == sequence).GetProperty("at").GetString()!);

        var page = await ListAsync(portal.AdminClient(), $"team={s.TeamA.Name.Value}&from={At(s.MemberAdded)}&to={At(s.AppCreated)}");

        Assert.Equal([s.MemberAdded], Sequences(page));
    }

    [Fact]
    public async Task Pages_follow_each_other_until_the_last_one()
    {
        var s = await SeedAsync();
        var team = s.TeamA.Name.Value;

        var first = await ListAsync(portal.AdminClient(), $"team={team}&pageSize=2");
        var second = await ListAsync(portal.AdminClient(), $"team={team}&pageSize=2&page=2");

        Assert.Equal([s.AppCreated, s.MemberAdded], Sequences(first));
        Assert.Equal(2, first.GetProperty("nextPage").GetInt32());
        Assert.Equal(3, first.GetProperty("total").GetInt32());
        Assert.Equal([s.TeamCreated], Sequences(second));
        Assert.False(second.TryGetProperty("nextPage", out _));
    }

    [Fact]
    public async Task A_user_sees_the_events_of_their_teams_and_their_own_but_not_another_teams()
    {
        var s = await SeedAsync();

        var seen = Sequences(await ListAsync(portal.ClientWithToken(s.TokenA), "pageSize=500"));

        Assert.Equal([s.UserALogin, s.AppCreated, s.MemberAdded, s.TeamCreated], seen);
        Assert.Empty(Sequences(await ListAsync(portal.ClientWithToken(s.TokenA), $"team={s.TeamB.Name.Value}")));
        Assert.Equal([s.TeamBCreated], Sequences(await ListAsync(portal.ClientWithToken(s.TokenB), "pageSize=500")));
    }

    [Fact]
    public async Task A_team_token_sees_only_its_teams_events()
    {
        var s = await SeedAsync();
        var token = await portal.CreateTeamTokenAsync(s.TeamA.Id, TokenScope.Read);

        var seen = Sequences(await ListAsync(portal.ClientWithToken(token), "pageSize=500"));

        Assert.Equal([s.AppCreated, s.MemberAdded, s.TeamCreated], seen);
    }

    [Theory]
    [InlineData("pageSize=501", "pageSize")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("page=-1", "page")]
    [InlineData("from=yesterday", "from")]
    [InlineData("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to")]
    [InlineData("action=*.created", "action")]
    public async Task Bad_filters_are_field_errors(string query, string field)
    {
        var response = await portal.AdminClient().GetAsync($"/api/v1/audit?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Only_platform_admins_may_verify_the_trail()
    {
        var s = await SeedAsync();

        var response = await portal.ClientWithToken(s.TokenA).GetAsync("/api/v1/audit/verify");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.True((await AuditTestData.VerifyAsync(portal)).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task The_list_requires_authentication()
    {
        var response = await portal.ClientWithToken(null).GetAsync("/api/v1/audit");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
