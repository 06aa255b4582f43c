using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Integration.Tests.Teams;
using Paddock.Persistence;

namespace Paddock.Integration.Tests.Users;

public sealed class MeApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Me_tells_a_user_who_they_are_and_their_teams_with_roles()
    {
        var email = ApiCalls.UniqueEmail();
        var (userId, token) = await portal.CreateUserAsync(email);
        var team = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (userId, TeamRole.Member));

        var me = await (await portal.ClientWithToken(token).GetAsync("/api/v1/me")).JsonAsync();

        Assert.Equal(userId, me.GetProperty("userId").GetGuid());
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.False(me.GetProperty("isPlatformAdmin").GetBoolean());
        var membership = Assert.Single(me.GetProperty("teams").EnumerateArray());
        Assert.Equal(team.Name.Value, membership.GetProperty("team").GetString());
        Assert.Equal("Member", membership.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Me_tells_a_team_token_its_team_and_scope()
    {
        var (owner, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var team = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (owner, TeamRole.Owner));

        var me = await (await portal.ClientWithToken(await portal.CreateTeamTokenAsync(team.Id, TokenScope.Read)).GetAsync("/api/v1/me")).JsonAsync();

        Assert.Equal("TeamToken", me.GetProperty("kind").GetString());
        Assert.Equal(team.Id, me.GetProperty("token").GetProperty("teamId").GetGuid());
        Assert.Equal("Read", me.GetProperty("token").GetProperty("scope").GetString());
    }

    [Fact]
    public async Task Personal_tokens_are_created_listed_and_revoked_by_their_owner_only()
    {
        var (userId, token) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var (_, otherToken) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("other"));
        var client = portal.ClientWithToken(token);

        var (created, createCall) = await client.TracedAsync(HttpMethod.Post, "/api/v1/me/tokens", new { name = "laptop" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.JsonAsync();
        var secret = body.GetProperty("token").GetString()!;
        var id = body.GetProperty("id").GetGuid();
        Assert.InRange(body.GetProperty("expiresAt").GetDateTime(), DateTime.UtcNow.AddDays(89), DateTime.UtcNow.AddDays(91));
        var createAudit = Assert.Single(portal.AuditOf(createCall));
        Assert.Equal(("token.created", userId.ToString()), (createAudit.Action, createAudit.ActorId));

        var newClient = portal.ClientWithToken(secret);
        Assert.Equal(HttpStatusCode.OK, (await newClient.GetAsync("/api/v1/me")).StatusCode);
        var listText = await (await client.GetAsync("/api/v1/me/tokens")).Content.ReadAsStringAsync();
        Assert.Contains("laptop", listText);
        Assert.DoesNotContain(secret, listText);

        Assert.Equal(HttpStatusCode.NotFound, (await portal.ClientWithToken(otherToken).DeleteAsync($"/api/v1/me/tokens/{id}")).StatusCode);
        var (revoked, revokeCall) = await client.TracedAsync(HttpMethod.Delete, $"/api/v1/me/tokens/{id}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal("token.revoked", Assert.Single(portal.AuditOf(revokeCall)).Action);
        Assert.Equal(HttpStatusCode.Unauthorized, (await newClient.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task A_team_token_cannot_manage_personal_tokens_or_change_a_password()
    {
        var (owner, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var team = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (owner, TeamRole.Owner));
        var client = portal.ClientWithToken(await portal.CreateTeamTokenAsync(team.Id, TokenScope.Deploy));

        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, "/api/v1/me/tokens", new { name = "sneaky" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/me/tokens")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, "/api/v1/me/password",
            new { currentPassword = "x", newPassword = "y" })).StatusCode);
    }

    [Fact]
    public async Task Changing_the_password_checks_the_current_one_and_the_rules_then_changes_the_security_stamp()
    {
        var (userId, token) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var client = portal.ClientWithToken(token);
        var stampBefore = portal.WithDb(db => db.Users.Single(u => u.Id == userId).SecurityStamp);

        var wrongCurrent = await client.SendAsync(HttpMethod.Post, "/api/v1/me/password", new { currentPassword = "not-it-at-all", newPassword = "a-long-new-password" });
        var tooShort = await client.SendAsync(HttpMethod.Post, "/api/v1/me/password", new { currentPassword = "test-password-123", newPassword = "short" });
        var (changed, correlationId) = await client.TracedAsync(HttpMethod.Post, "/api/v1/me/password", new { currentPassword = "test-password-123", newPassword = "a-long-new-password" });

        Assert.Equal(HttpStatusCode.BadRequest, wrongCurrent.StatusCode);
        Assert.True((await wrongCurrent.JsonAsync()).GetProperty("errors").TryGetProperty("currentPassword", out _));
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        Assert.True((await tooShort.JsonAsync()).GetProperty("errors").TryGetProperty("newPassword", out _));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal("user.password_changed", Assert.Single(portal.AuditOf(correlationId)).Action);
        Assert.NotEqual(stampBefore, portal.WithDb(db => db.Users.Single(u => u.Id == userId).SecurityStamp));
        Assert.True(await PasswordWorksAsync(userId, "a-long-new-password"));
    }

    [Fact]
    public async Task A_password_change_reports_a_wrong_current_password_and_a_too_short_new_one_together()
    {
        var (_, token) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var client = portal.ClientWithToken(token);

        var refused = await client.SendAsync(HttpMethod.Post, "/api/v1/me/password", new { currentPassword = "not-it-at-all", newPassword = "short" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("currentPassword", out _));
        Assert.Contains("12", errors.GetProperty("newPassword")[0].GetString());
    }

    [Fact]
    public async Task Changing_the_password_in_one_browser_ends_the_other_sessions_but_keeps_this_one()
    {
        var email = ApiCalls.UniqueEmail();
        await portal.CreateUserAsync(email);
        var here = await portal.SignedInBrowserAsync(email, "test-password-123");
        var elsewhere = await portal.SignedInBrowserAsync(email, "test-password-123");

        var changed = await here.SendAsync(HttpMethod.Post, "/api/v1/me/password", new { currentPassword = "test-password-123", newPassword = "a-long-new-password" });

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await here.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await elsewhere.GetAsync("/api/v1/me")).StatusCode);
    }

    private async Task<bool> PasswordWorksAsync(Guid userId, string password)
    {
        using var scope = portal.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PaddockUser>>();
        return await users.CheckPasswordAsync((await users.FindByIdAsync(userId.ToString()))!, password);
    }
}
