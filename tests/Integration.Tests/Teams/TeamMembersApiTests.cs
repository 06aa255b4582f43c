using System.Net;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Teams;

public sealed class TeamMembersApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private async Task<(Guid Owner, HttpClient OwnerClient, Team Team)> TeamWithOwnerAsync()
    {
        var (owner, token) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("owner"));
        var team = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (owner, TeamRole.Owner));
        return (owner, portal.ClientWithToken(token), team);
    }

    private TeamRole? RoleOf(Guid teamId, Guid userId) =>
        portal.WithDb(db => db.TeamMembers.Where(m => m.TeamId == teamId && m.UserId == userId).Select(m => (TeamRole?)m.Role).FirstOrDefault());

    [Fact]
    public async Task An_owner_adds_a_member_by_email_then_changes_their_role_then_removes_them()
    {
        var (owner, client, team) = await TeamWithOwnerAsync();
        var email = ApiCalls.UniqueEmail("new");
        var (newcomer, _) = await portal.CreateUserAsync(email);
        var members = $"/api/v1/teams/{team.Name.Value}/members";

        var (added, addedCall) = await client.TracedAsync(HttpMethod.Post, members, new { email, role = "Viewer" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(TeamRole.Viewer, RoleOf(team.Id, newcomer));

        var (changed, changedCall) = await client.TracedAsync(HttpMethod.Post, members, new { userId = newcomer, role = "Member" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("Member", (await changed.JsonAsync()).GetProperty("role").GetString());
        Assert.Equal(TeamRole.Member, RoleOf(team.Id, newcomer));

        var (removed, removedCall) = await client.TracedAsync(HttpMethod.Delete, $"{members}?user={Uri.EscapeDataString(email)}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.Null(RoleOf(team.Id, newcomer));

        foreach (var (call, action) in new[] { (addedCall, "team.member_added"), (changedCall, "team.member_role_changed"), (removedCall, "team.member_removed") })
        {
            var audit = Assert.Single(portal.AuditOf(call));
            Assert.Equal(action, audit.Action);
            Assert.Equal(owner.ToString(), audit.ActorId);
            Assert.Equal(newcomer.ToString(), audit.TargetId);
            Assert.Equal(team.Id, audit.TeamId);
        }
    }

    [Fact]
    public async Task A_member_can_be_removed_by_id_in_the_path()
    {
        var (_, client, team) = await TeamWithOwnerAsync();
        var (viewer, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("viewer"));
        await client.SendAsync(HttpMethod.Post, $"/api/v1/teams/{team.Name.Value}/members", new { userId = viewer, role = "Viewer" });

        var response = await client.DeleteAsync($"/api/v1/teams/{team.Name.Value}/members/{viewer}");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Null(RoleOf(team.Id, viewer));
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_removed_nor_demoted()
    {
        var (owner, client, team) = await TeamWithOwnerAsync();
        var members = $"/api/v1/teams/{team.Name.Value}/members";

        var (removed, removeCall) = await client.TracedAsync(HttpMethod.Delete, $"{members}?user={owner}");
        var (demoted, demoteCall) = await client.TracedAsync(HttpMethod.Post, members, new { userId = owner, role = "Member" });

        Assert.Equal(HttpStatusCode.Conflict, removed.StatusCode);
        Assert.Equal(Team.LastOwnerRefusal, (await removed.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.Conflict, demoted.StatusCode);
        Assert.Equal(TeamRole.Owner, RoleOf(team.Id, owner));
        Assert.Empty(portal.AuditOf(removeCall));
        Assert.Empty(portal.AuditOf(demoteCall));
    }

    [Fact]
    public async Task Two_owners_removing_each_other_at_once_leave_the_team_with_an_owner()
    {
        var (first, firstClient, team) = await TeamWithOwnerAsync();
        var (second, secondToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("second"));
        var members = $"/api/v1/teams/{team.Name.Value}/members";
        await firstClient.SendAsync(HttpMethod.Post, members, new { userId = second, role = "Owner" });
        var secondClient = portal.ClientWithToken(secondToken);

        var answers = await Task.WhenAll(
            firstClient.DeleteAsync($"{members}/{second}"),
            secondClient.DeleteAsync($"{members}/{first}"));

        // The loser hears 409 when both ran together, or 404 when the winner had already removed them from the team.
        var codes = answers.Select(a => a.StatusCode).Order().ToList();
        Assert.Equal(HttpStatusCode.NoContent, codes[0]);
        Assert.Contains(codes[1], new[] { HttpStatusCode.Conflict, HttpStatusCode.NotFound });
        Assert.Single(portal.WithDb(db => db.TeamMembers.Where(m => m.TeamId == team.Id && m.Role == TeamRole.Owner).ToList()));
    }

    [Fact]
    public async Task The_teams_etag_changes_when_its_members_change()
    {
        var (_, client, team) = await TeamWithOwnerAsync();
        var (viewer, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("viewer"));
        var url = $"/api/v1/teams/{team.Name.Value}";
        var before = (await client.GetAsync(url)).Headers.ETag!.Tag;

        await client.SendAsync(HttpMethod.Post, $"{url}/members", new { userId = viewer, role = "Viewer" });

        Assert.NotEqual(before, (await client.GetAsync(url)).Headers.ETag!.Tag);
    }

    [Fact]
    public async Task An_unknown_user_answers_400_with_the_field_that_named_them()
    {
        var (_, client, team) = await TeamWithOwnerAsync();
        var members = $"/api/v1/teams/{team.Name.Value}/members";

        var byEmail = await client.SendAsync(HttpMethod.Post, members, new { email = "nobody@example.com", role = "Member" });
        var byId = await client.SendAsync(HttpMethod.Post, members, new { userId = Guid.NewGuid(), role = "Member" });
        var removing = await client.DeleteAsync($"{members}?user=nobody@example.com");

        Assert.Equal(HttpStatusCode.BadRequest, byEmail.StatusCode);
        Assert.True((await byEmail.JsonAsync()).GetProperty("errors").TryGetProperty("email", out _));
        Assert.True((await byId.JsonAsync()).GetProperty("errors").TryGetProperty("userId", out _));
        Assert.True((await removing.JsonAsync()).GetProperty("errors").TryGetProperty("user", out _));
    }

    [Fact]
    public async Task A_missing_or_unknown_role_answers_400()
    {
        var (_, client, team) = await TeamWithOwnerAsync();
        var (candidate, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("candidate"));
        var members = $"/api/v1/teams/{team.Name.Value}/members";

        var missing = await client.SendAsync(HttpMethod.Post, members, new { userId = candidate });
        var unknown = await client.SendAsync(HttpMethod.Post, members, new { userId = candidate, role = "Boss" });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.True((await missing.JsonAsync()).GetProperty("errors").TryGetProperty("role", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Null(RoleOf(team.Id, candidate));
    }

    [Fact]
    public async Task A_viewer_cannot_add_members_and_a_user_of_another_team_gets_404()
    {
        var (_, ownerClient, team) = await TeamWithOwnerAsync();
        var (viewer, viewerToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("viewer"));
        var (_, outsiderToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("outsider"));
        var (candidate, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("candidate"));
        var members = $"/api/v1/teams/{team.Name.Value}/members";
        await ownerClient.SendAsync(HttpMethod.Post, members, new { userId = viewer, role = "Viewer" });

        var asViewer = await portal.ClientWithToken(viewerToken).SendAsync(HttpMethod.Post, members, new { userId = candidate, role = "Owner" });
        var asOutsider = await portal.ClientWithToken(outsiderToken).SendAsync(HttpMethod.Post, members, new { userId = candidate, role = "Owner" });

        Assert.Equal(HttpStatusCode.Forbidden, asViewer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, asOutsider.StatusCode);
        Assert.Null(RoleOf(team.Id, candidate));
    }

    [Fact]
    public async Task A_read_scoped_team_token_can_read_the_team_but_not_add_members()
    {
        var (_, _, team) = await TeamWithOwnerAsync();
        var (candidate, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("candidate"));
        var readClient = portal.ClientWithToken(await portal.CreateTeamTokenAsync(team.Id, TokenScope.Read));

        var read = await readClient.GetAsync($"/api/v1/teams/{team.Name.Value}");
        var write = await readClient.SendAsync(HttpMethod.Post, $"/api/v1/teams/{team.Name.Value}/members", new { userId = candidate, role = "Viewer" });

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }
}
