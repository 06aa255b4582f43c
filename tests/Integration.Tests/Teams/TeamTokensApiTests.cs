using System.Net;
using Paddock.Domain.Teams;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Teams;

public sealed class TeamTokensApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private async Task<(Guid Owner, HttpClient OwnerClient, Team Team)> TeamWithOwnerAsync()
    {
        var (owner, token) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("owner"));
        var team = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (owner, TeamRole.Owner));
        return (owner, portal.ClientWithToken(token), team);
    }

    [Fact]
    public async Task A_new_team_token_is_shown_once_works_at_once_and_lists_without_its_secret()
    {
        var (owner, client, team) = await TeamWithOwnerAsync();
        var tokens = $"/api/v1/teams/{team.Name.Value}/tokens";

        var (created, correlationId) = await client.TracedAsync(HttpMethod.Post, tokens, new { name = "ci", scope = "Deploy" });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var secret = body.GetProperty("token").GetString()!;
        Assert.StartsWith("pdk_", secret);
        Assert.Equal("Deploy", body.GetProperty("scope").GetString());
        var audit = Assert.Single(portal.AuditOf(correlationId));
        Assert.Equal("token.created", audit.Action);
        Assert.Equal(owner.ToString(), audit.ActorId);
        Assert.DoesNotContain(secret, audit.After);

        var me = await (await portal.ClientWithToken(secret).GetAsync("/api/v1/me")).JsonAsync();
        Assert.Equal(team.Name.Value, me.GetProperty("token").GetProperty("team").GetString());
        Assert.Equal("Deploy", me.GetProperty("token").GetProperty("scope").GetString());

        var listText = await (await client.GetAsync(tokens)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, listText);
        Assert.Contains(secret[^4..], listText);
    }

    [Fact]
    public async Task A_new_token_expires_after_90_days_unless_asked_otherwise_and_at_most_after_a_year()
    {
        var (_, client, team) = await TeamWithOwnerAsync();
        var tokens = $"/api/v1/teams/{team.Name.Value}/tokens";

        var byDefault = await (await client.SendAsync(HttpMethod.Post, tokens, new { name = "default", scope = "Read" })).JsonAsync();
        var tooLate = await client.SendAsync(HttpMethod.Post, tokens, new { name = "forever", scope = "Read", expiresAt = DateTime.UtcNow.AddYears(2) });
        var past = await client.SendAsync(HttpMethod.Post, tokens, new { name = "past", scope = "Read", expiresAt = DateTime.UtcNow.AddDays(-1) });

        var expiresAt = byDefault.GetProperty("expiresAt").GetDateTime();
        Assert.InRange(expiresAt, DateTime.UtcNow.AddDays(89), DateTime.UtcNow.AddDays(91));
        Assert.Equal(HttpStatusCode.BadRequest, tooLate.StatusCode);
        Assert.True((await tooLate.JsonAsync()).GetProperty("errors").TryGetProperty("expiresAt", out _));
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
    }

    [Fact]
    public async Task Revoking_a_team_token_makes_it_answer_401_at_once()
    {
        var (_, client, team) = await TeamWithOwnerAsync();
        var tokens = $"/api/v1/teams/{team.Name.Value}/tokens";
        var created = await (await client.SendAsync(HttpMethod.Post, tokens, new { name = "ci", scope = "Read" })).JsonAsync();
        var tokenClient = portal.ClientWithToken(created.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, (await tokenClient.GetAsync($"/api/v1/teams/{team.Name.Value}")).StatusCode);

        var (revoked, correlationId) = await client.TracedAsync(HttpMethod.Delete, $"{tokens}/{created.GetProperty("id").GetGuid()}");

        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal("token.revoked", Assert.Single(portal.AuditOf(correlationId)).Action);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tokenClient.GetAsync($"/api/v1/teams/{team.Name.Value}")).StatusCode);
        var listed = (await (await client.GetAsync(tokens)).JsonAsync()).EnumerateArray().Single();
        Assert.True(listed.TryGetProperty("revokedAt", out _), "the list shows when the token was revoked");
    }

    [Fact]
    public async Task Only_owners_manage_team_tokens_and_other_teams_do_not_see_them()
    {
        var (_, _, team) = await TeamWithOwnerAsync();
        var (member, memberToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("member"));
        portal.WithDb(db =>
        {
            var tracked = db.Teams.Where(t => t.Id == team.Id).Select(t => t).First();
            db.Entry(tracked).Collection(t => t.Members).Load();
            tracked.SetMember(member, TeamRole.Member, DateTime.UtcNow);
            return db.SaveChanges();
        });
        var (_, outsiderToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("outsider"));
        var tokens = $"/api/v1/teams/{team.Name.Value}/tokens";

        var asMember = await portal.ClientWithToken(memberToken).SendAsync(HttpMethod.Post, tokens, new { name = "ci", scope = "Deploy" });
        var asOutsider = await portal.ClientWithToken(outsiderToken).GetAsync(tokens);

        Assert.Equal(HttpStatusCode.Forbidden, asMember.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, asOutsider.StatusCode);
    }
}
