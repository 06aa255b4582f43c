using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;

namespace Paddock.Integration.Tests.Environments;

/// <summary>An open event stream is authorised once, when it opens; revoking its credential must still end it within
/// seconds, not whenever the client hangs up.</summary>
public sealed partial class StreamRevocationTests(LivePortal portal) : IClassFixture<LivePortal>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_stream_opened_with_a_team_token_ends_within_seconds_of_the_token_being_revoked()
    {
        var admin = portal.Client(portal.AdminToken);
        var (team, app) = await EnvironmentAsync(admin);
        var response = await admin.PostAsJsonAsync($"/api/v1/teams/{team}/tokens", new { name = "ci", scope = "Read" });
        await Api.EnsureAsync(response, HttpStatusCode.Created);
        var created = await response.JsonAsync();
        using var stream = await OpenAsync(portal.Client(created.GetProperty("token").GetString()), app);

        await Api.EnsureAsync(await admin.DeleteAsync($"/api/v1/teams/{team}/tokens/{created.GetProperty("id").GetGuid()}"), HttpStatusCode.NoContent);

        await AssertEndsWithinAsync(stream);
    }

    [Fact]
    public async Task A_stream_opened_with_a_session_cookie_ends_within_seconds_of_the_user_being_disabled()
    {
        var admin = portal.Client(portal.AdminToken);
        var (team, app) = await EnvironmentAsync(admin);
        var email = $"{Unique.Name("viewer")}@example.com";
        var response = await admin.PostAsJsonAsync("/api/v1/users", new { email, displayName = "Viewer", team, role = "Viewer" });
        await Api.EnsureAsync(response, HttpStatusCode.Created);
        var user = await response.JsonAsync();
        var browser = await SignedInAsync(email, user.GetProperty("password").GetString()!);
        using var stream = await OpenAsync(browser, app);

        await Api.EnsureAsync(await admin.PatchAsJsonAsync($"/api/v1/users/{user.GetProperty("user").GetProperty("id").GetGuid()}", new { isDisabled = true }), HttpStatusCode.OK);

        await AssertEndsWithinAsync(stream);
    }

    private sealed class OpenStream(HttpResponseMessage response, StreamReader reader) : IDisposable
    {
        public StreamReader Reader => reader;

        public void Dispose()
        {
            reader.Dispose();
            response.Dispose();
        }
    }

    private static async Task<OpenStream> OpenAsync(HttpClient client, string app)
    {
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"/api/v1/apps/{app}/environments/dev/events"),
            HttpCompletionOption.ResponseHeadersRead);
        await Api.EnsureAsync(response, HttpStatusCode.OK);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        // The backlog arrives first: the stream is open and authorised.
        Assert.StartsWith("id: ", await reader.ReadLineAsync());
        return new OpenStream(response, reader);
    }

    private static async Task AssertEndsWithinAsync(OpenStream stream)
    {
        var clock = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(Limit + TimeSpan.FromSeconds(10));
        try
        {
            while (await stream.Reader.ReadLineAsync(timeout.Token) is not null) { }
        }
        catch (IOException)
        {
            // The server ended the response: that is the end we wait for.
        }
        Assert.True(clock.Elapsed <= Limit, $"The stream ended {clock.Elapsed.TotalSeconds:0.0}s after the revocation.");
    }

    private async Task<(string Team, string App)> EnvironmentAsync(HttpClient admin)
    {
        var team = Unique.Name("team");
        var app = Unique.Name("app");
        await Api.EnsureAsync(await admin.PostAsJsonAsync("/api/v1/teams", new { name = team }), HttpStatusCode.Created);
        await Api.EnsureAsync(await admin.PostAsJsonAsync("/api/v1/apps", new { name = app, team, image = "localhost/paddock-demo:1", port = 8080 }), HttpStatusCode.Created);
        await Api.EnsureAsync(await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = "dev", stage = "Development", backend = "docker" }), HttpStatusCode.Created);
        return (team, app);
    }

    private async Task<HttpClient> SignedInAsync(string email, string password)
    {
        var browser = portal.Client(cookies: true);
        var page = await browser.GetStringAsync("/login");
        var antiforgery = AntiforgeryField().Match(page).Groups[1].Value;
        await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = email, ["password"] = password, ["returnUrl"] = "/", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(antiforgery),
        }));
        return browser;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
