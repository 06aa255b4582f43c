using System.Net;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Teams;

public sealed class TeamsApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Creating_a_team_makes_the_creator_its_owner_and_writes_one_audit_event()
    {
        var (userId, token) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var name = ApiCalls.UniqueTeamName("payments");

        var (response, correlationId) = await portal.ClientWithToken(token).TracedAsync(HttpMethod.Post, "/api/v1/teams", new { name, displayName = "Payments" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var team = await response.JsonAsync();
        Assert.Equal(name, team.GetProperty("name").GetString());
        Assert.Equal("Payments", team.GetProperty("displayName").GetString());
        var member = Assert.Single(team.GetProperty("members").EnumerateArray());
        Assert.Equal(userId, member.GetProperty("userId").GetGuid());
        Assert.Equal("Owner", member.GetProperty("role").GetString());
        var audit = Assert.Single(portal.AuditOf(correlationId));
        Assert.Equal("team.created", audit.Action);
        Assert.Equal(userId.ToString(), audit.ActorId);
        Assert.Equal(team.GetProperty("id").GetGuid(), audit.TeamId);
    }

    [Fact]
    public async Task A_taken_name_answers_409_even_when_the_caller_cannot_see_the_team()
    {
        var (owner, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var existing = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (owner, TeamRole.Owner));
        var (_, outsiderToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("outsider"));

        var (response, correlationId) = await portal.ClientWithToken(outsiderToken)
            .TracedAsync(HttpMethod.Post, "/api/v1/teams", new { name = existing.Name.Value });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("taken", (await response.JsonAsync()).GetProperty("detail").GetString());
        Assert.Empty(portal.AuditOf(correlationId));
    }

    [Theory]
    [InlineData("Payments")]
    [InlineData("-payments")]
    [InlineData("pay_ments")]
    [InlineData("kube-system")]
    [InlineData("paddock")]
    [InlineData("")]
    public async Task An_invalid_or_reserved_name_answers_400_with_the_name_field(string name)
    {
        var response = await portal.AdminClient().SendAsync(HttpMethod.Post, "/api/v1/teams", new { name });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task A_team_token_cannot_create_teams()
    {
        var (owner, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var team = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (owner, TeamRole.Owner));
        var deployToken = await portal.CreateTeamTokenAsync(team.Id, TokenScope.Deploy);

        var response = await portal.ClientWithToken(deployToken).SendAsync(HttpMethod.Post, "/api/v1/teams", new { name = ApiCalls.UniqueTeamName() });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Listing_shows_only_the_callers_teams_while_an_admin_sees_all()
    {
        var (me, myToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var (other, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("other"));
        var mine = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName("mine"), (me, TeamRole.Viewer));
        var theirs = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName("theirs"), (other, TeamRole.Owner));

        var myList = await (await portal.ClientWithToken(myToken).GetAsync("/api/v1/teams")).JsonAsync();
        var adminList = await (await portal.AdminClient().GetAsync("/api/v1/teams")).JsonAsync();

        var myNames = myList.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        var adminNames = adminList.EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToList();
        Assert.Equal([mine.Name.Value], myNames);
        Assert.Contains(mine.Name.Value, adminNames);
        Assert.Contains(theirs.Name.Value, adminNames);
    }

    [Fact]
    public async Task Reading_a_team_gives_its_members_and_an_etag_and_another_teams_user_gets_404()
    {
        var ownerEmail = ApiCalls.UniqueEmail("owner");
        var (owner, ownerToken) = await portal.CreateUserAsync(ownerEmail);
        var (_, outsiderToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("outsider"));
        var team = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (owner, TeamRole.Owner));

        var response = await portal.ClientWithToken(ownerToken).GetAsync($"/api/v1/teams/{team.Name.Value}");
        var hidden = await portal.ClientWithToken(outsiderToken).GetAsync($"/api/v1/teams/{team.Name.Value}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(response.Headers.ETag);
        var member = Assert.Single((await response.JsonAsync()).GetProperty("members").EnumerateArray());
        Assert.Equal(ownerEmail, member.GetProperty("email").GetString());
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task Patching_the_display_name_honours_if_match_and_refuses_a_new_name()
    {
        var (owner, ownerToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var team = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (owner, TeamRole.Owner));
        var client = portal.ClientWithToken(ownerToken);
        var url = $"/api/v1/teams/{team.Name.Value}";
        var etag = (await client.GetAsync(url)).Headers.ETag!.Tag;

        var (renamed, correlationId) = await client.TracedAsync(HttpMethod.Patch, url, new { displayName = "Checkout squad" }, ifMatch: etag);
        var stale = await client.SendAsync(HttpMethod.Patch, url, new { displayName = "Too late" }, ifMatch: etag);
        var newName = await client.SendAsync(HttpMethod.Patch, url, new { name = "another-name" });

        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        Assert.Equal("Checkout squad", (await renamed.JsonAsync()).GetProperty("displayName").GetString());
        Assert.NotEqual(etag, renamed.Headers.ETag!.Tag);
        Assert.Equal("team.updated", Assert.Single(portal.AuditOf(correlationId)).Action);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, newName.StatusCode);
        Assert.True((await newName.JsonAsync()).GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task An_owner_sets_the_environment_quota_reads_it_back_and_clears_it_with_an_empty_one()
    {
        var (owner, ownerToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var team = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (owner, TeamRole.Owner));
        var client = portal.ClientWithToken(ownerToken);
        var url = $"/api/v1/teams/{team.Name.Value}";

        var (set, correlationId) = await client.TracedAsync(HttpMethod.Patch, url, new { quota = new { cpuMillicores = 2000, memoryMiB = 1024, pods = 6 } });
        var read = await (await client.GetAsync(url)).JsonAsync();
        var invalid = await client.SendAsync(HttpMethod.Patch, url, new { quota = new { pods = 0 } });
        var cleared = await client.SendAsync(HttpMethod.Patch, url, new { quota = new { } });

        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.Equal(2000, read.GetProperty("quota").GetProperty("cpuMillicores").GetInt32());
        Assert.Equal(1024, read.GetProperty("quota").GetProperty("memoryMiB").GetInt32());
        Assert.Equal(6, read.GetProperty("quota").GetProperty("pods").GetInt32());
        var audit = Assert.Single(portal.AuditOf(correlationId));
        Assert.Equal("team.updated", audit.Action);
        Assert.Contains("\"pods\":6", audit.After);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.True((await invalid.JsonAsync()).GetProperty("errors").TryGetProperty("quota", out _));
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.False((await cleared.JsonAsync()).TryGetProperty("quota", out _));   // the API leaves out nulls
        Assert.Null(portal.WithDb(db => db.Teams.Single(t => t.Id == team.Id).Quota));
    }

    [Fact]
    public async Task Only_owners_may_patch_a_team()
    {
        var (owner, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var (member, memberToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("member"));
        var team = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (owner, TeamRole.Owner), (member, TeamRole.Member));

        var response = await portal.ClientWithToken(memberToken).SendAsync(HttpMethod.Patch, $"/api/v1/teams/{team.Name.Value}", new { displayName = "Mine now" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
