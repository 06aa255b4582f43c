using System.Net;
using Microsoft.EntityFrameworkCore;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Identity;

public sealed class LoginTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task The_bootstrap_admin_signs_in_with_the_generated_password_and_gets_a_session()
    {
        var session = new BrowserSession(portal);
        var response = await session.SignInAsync("admin@localhost", portal.AdminPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var me = await session.Client.GetAsync("/api/v1/teams");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_with_a_clear_message_and_audited()
    {
        var email = $"wrong-{Guid.NewGuid():N}@example.com";
        await portal.CreateUserAsync(email);
        var session = new BrowserSession(portal);

        var response = await session.SignInAsync(email, "not-the-password");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("error=Wrong%20email%20or%20password", response.Headers.Location?.OriginalString);
        var page = await session.Client.GetStringAsync(response.Headers.Location);
        Assert.Contains("Wrong email or password.", page);
        Assert.Equal(1, portal.WithDb(db => db.AuditEvents.Count(e => e.Action == "user.login_failed" && e.After!.Contains(email))));
    }

    [Fact]
    public async Task Five_failed_attempts_lock_the_account_even_for_the_right_password()
    {
        var email = $"locked-{Guid.NewGuid():N}@example.com";
        await portal.CreateUserAsync(email);
        var session = new BrowserSession(portal);
        for (var i = 0; i < 5; i++) await session.SignInAsync(email, "not-the-password");

        var response = await session.SignInAsync(email, "test-password-123");

        Assert.Contains("locked", Uri.UnescapeDataString(response.Headers.Location!.OriginalString));
        var unauthenticated = await session.Client.GetAsync("/api/v1/teams");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_answer_as_a_wrong_password_in_a_similar_time()
    {
        var email = $"known-{Guid.NewGuid():N}@example.com";
        await portal.CreateUserAsync(email);
        var known = new List<TimeSpan>();
        var unknown = new List<TimeSpan>();
        string? knownAnswer = null, unknownAnswer = null;
        for (var i = 0; i < 3; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            knownAnswer = (await new BrowserSession(portal).SignInAsync(email, $"wrong-{i}")).Headers.Location?.OriginalString;
            known.Add(watch.Elapsed);
            watch.Restart();
            unknownAnswer = (await new BrowserSession(portal).SignInAsync($"nobody-{Guid.NewGuid():N}@example.com", $"wrong-{i}")).Headers.Location?.OriginalString;
            unknown.Add(watch.Elapsed);
        }

        Assert.Equal(knownAnswer, unknownAnswer);
        // The unknown email costs a password hash too: not the tenth of the time it took without one.
        Assert.True(unknown.Min() * 3 > known.Min(), $"unknown {unknown.Min().TotalMilliseconds:0} ms, known {known.Min().TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_session_at_once()
    {
        var email = $"disabled-{Guid.NewGuid():N}@example.com";
        var (userId, token) = await portal.CreateUserAsync(email);
        var session = new BrowserSession(portal);
        await session.SignInAsync(email, "test-password-123");
        Assert.Equal(HttpStatusCode.OK, (await session.Client.GetAsync("/api/v1/teams")).StatusCode);

        await portal.WithDbAsync(db => db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.IsDisabled, true)));

        Assert.Equal(HttpStatusCode.Unauthorized, (await session.Client.GetAsync("/api/v1/teams")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.ClientWithToken(token).GetAsync("/api/v1/teams")).StatusCode);
    }

    [Fact]
    public async Task Pages_redirect_anonymous_visitors_to_the_sign_in_form_while_the_api_answers_401()
    {
        var anonymous = portal.ClientWithToken(null);
        var page = await anonymous.GetAsync("/");
        var api = await anonymous.GetAsync("/api/v1/teams");

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location?.PathAndQuery ?? page.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }
}
