using System.Net;
using System.Text.RegularExpressions;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;

namespace Paddock.Integration.Tests.Jobs;

/// <summary>On real Kestrel, so every request comes from 127.0.0.1: the address Hangfire's default filter lets in.</summary>
public sealed partial class JobsDashboardTests(LivePortal portal) : IClassFixture<LivePortal>
{
    [Fact]
    public async Task Anonymous_requests_from_loopback_are_refused()
    {
        var response = await portal.Client().GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("Paddock jobs", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_signed_in_user_who_is_not_a_platform_admin_is_refused()
    {
        var email = await portal.CreateUserAsync(Unique.Email("user"), "test-password-123");
        var browser = await SignedInAsync(email, "test-password-123");

        var response = await browser.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_admin_bearer_token_is_not_a_dashboard_session()
    {
        var response = await portal.Client(portal.AdminToken).GetAsync("/hangfire");

        Assert.True(response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{(int)response.StatusCode}");
    }

    [Fact]
    public async Task A_platform_admin_signed_in_with_the_cookie_sees_the_dashboard()
    {
        var browser = await SignedInAsync("admin@localhost", portal.AdminPassword);

        var response = await browser.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Paddock jobs", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Signs in through the real login form, antiforgery token included; the client keeps the session cookie.</summary>
    private async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var browser = portal.Client(cookies: true);
        var page = await browser.GetStringAsync("/login");
        var antiforgery = AntiforgeryField().Match(page).Groups[1].Value;
        var login = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery),
        }));
        // The Kestrel client follows the redirect whatever its options say: success lands on "/", failure on "/login?error=".
        var landed = login.StatusCode == HttpStatusCode.Redirect ? login.Headers.Location?.OriginalString : login.RequestMessage?.RequestUri?.PathAndQuery;
        Assert.Equal("/", landed);
        return browser;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
