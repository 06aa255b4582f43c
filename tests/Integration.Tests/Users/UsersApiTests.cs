using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Teams;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Integration.Tests.Teams;
using Paddock.Persistence;

namespace Paddock.Integration.Tests.Users;

public sealed class UsersApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private Guid AdminId => portal.WithDb(db => db.Users.Single(u => u.Email == "admin@localhost").Id);

    [Fact]
    public async Task Only_platform_admins_may_list_or_create_users()
    {
        var (_, token) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var client = portal.ClientWithToken(token);

        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(HttpMethod.Post, "/api/v1/users", new { email = ApiCalls.UniqueEmail() })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await portal.AdminClient().GetAsync("/api/v1/users")).StatusCode);
    }

    [Fact]
    public async Task An_admin_creates_a_user_with_a_role_in_a_team_and_the_one_time_password_signs_in()
    {
        var (owner, _) = await portal.CreateUserAsync(ApiCalls.UniqueEmail("owner"));
        var team = await portal.CreateTeamAsync(ApiCalls.UniqueTeamName(), (owner, TeamRole.Owner));
        var email = ApiCalls.UniqueEmail("new");

        var (response, correlationId) = await portal.AdminClient().TracedAsync(HttpMethod.Post, "/api/v1/users",
            new { email, displayName = "New Person", team = team.Name.Value, role = "Viewer" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        var password = body.GetProperty("password").GetString()!;
        Assert.True(password.Length >= 20);
        var userId = body.GetProperty("user").GetProperty("id").GetGuid();
        var membership = Assert.Single(body.GetProperty("user").GetProperty("teams").EnumerateArray());
        Assert.Equal(("Viewer", team.Name.Value), (membership.GetProperty("role").GetString(), membership.GetProperty("team").GetString()));
        var audit = Assert.Single(portal.AuditOf(correlationId));
        Assert.Equal(("user.created", AdminId.ToString(), userId.ToString()), (audit.Action, audit.ActorId, audit.TargetId));
        Assert.DoesNotContain(password, audit.After);

        using var scope = portal.Services.CreateScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<PaddockUser>>();
        var user = await signIn.UserManager.FindByEmailAsync(email);
        Assert.True((await signIn.CheckPasswordSignInAsync(user!, password, lockoutOnFailure: false)).Succeeded);
    }

    [Fact]
    public async Task Creating_a_user_whose_email_is_taken_answers_409_and_an_unknown_team_400()
    {
        var email = ApiCalls.UniqueEmail();
        await portal.CreateUserAsync(email);

        var duplicate = await portal.AdminClient().SendAsync(HttpMethod.Post, "/api/v1/users", new { email });
        var (unknownTeam, correlationId) = await portal.AdminClient().TracedAsync(HttpMethod.Post, "/api/v1/users",
            new { email = ApiCalls.UniqueEmail(), team = "no-such-team", role = "Member" });

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownTeam.StatusCode);
        Assert.True((await unknownTeam.JsonAsync()).GetProperty("errors").TryGetProperty("team", out _));
        Assert.Empty(portal.AuditOf(correlationId));
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_tokens_and_cookie_sessions_at_once()
    {
        var email = ApiCalls.UniqueEmail();
        var (userId, token) = await portal.CreateUserAsync(email);
        var tokenClient = portal.ClientWithToken(token);
        var browser = await portal.SignedInBrowserAsync(email, "test-password-123");
        Assert.Equal(HttpStatusCode.OK, (await tokenClient.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/me")).StatusCode);

        var (disabled, correlationId) = await portal.AdminClient().TracedAsync(HttpMethod.Patch, $"/api/v1/users/{userId}", new { isDisabled = true });

        Assert.Equal(HttpStatusCode.OK, disabled.StatusCode);
        Assert.True((await disabled.JsonAsync()).GetProperty("isDisabled").GetBoolean());
        Assert.Equal("user.disabled", Assert.Single(portal.AuditOf(correlationId)).Action);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tokenClient.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task An_admin_can_neither_disable_nor_demote_themself()
    {
        var adminId = AdminId;

        var disable = await portal.AdminClient().SendAsync(HttpMethod.Patch, $"/api/v1/users/{adminId}", new { isDisabled = true });
        var demote = await portal.AdminClient().SendAsync(HttpMethod.Patch, $"/api/v1/users/{adminId}", new { isPlatformAdmin = false });

        Assert.Equal(HttpStatusCode.BadRequest, disable.StatusCode);
        Assert.True((await disable.JsonAsync()).GetProperty("errors").TryGetProperty("isDisabled", out _));
        Assert.Equal(HttpStatusCode.BadRequest, demote.StatusCode);
        Assert.True((await demote.JsonAsync()).GetProperty("errors").TryGetProperty("isPlatformAdmin", out _));
        Assert.False(portal.WithDb(db => db.Users.Single(u => u.Id == adminId).IsDisabled));
    }

    [Fact]
    public async Task Granting_platform_admin_takes_effect_on_the_users_next_request()
    {
        var (userId, token) = await portal.CreateUserAsync(ApiCalls.UniqueEmail());
        var client = portal.ClientWithToken(token);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/users")).StatusCode);

        var (granted, correlationId) = await portal.AdminClient().TracedAsync(HttpMethod.Patch, $"/api/v1/users/{userId}", new { isPlatformAdmin = true, displayName = "Ops" });

        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.Equal("user.updated", Assert.Single(portal.AuditOf(correlationId)).Action);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/users")).StatusCode);
        var read = await (await portal.AdminClient().GetAsync($"/api/v1/users/{userId}")).JsonAsync();
        Assert.Equal("Ops", read.GetProperty("displayName").GetString());
    }
}
