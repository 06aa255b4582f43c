using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>An environment that follows git, the whole way: a real <c>git daemon</c> with a bare repository started by
/// the test, the portal, workers, edge and engine as <c>./run.sh</c> runs them, and a person in the browser who
/// registers the repository and makes the environment follow it; then a push and the generic webhook, and the open
/// page follows by itself.</summary>
[Collection(DeployingCollection.Name)]
public sealed class GitJourneyTests(DeployingWorld world)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToContainTextOptions SlowText = new() { Timeout = 60_000 };

    /// <summary>The demo image serving a page that says <c>$GREETING</c>, a variable of the workload in git.</summary>
    private static Dictionary<string, string> Workload(string app, string greeting) => new()
    {
        ["deploy/score.yaml"] = $"""
            apiVersion: score.dev/v1b1
            metadata:
              name: {app}
            containers:
              web:
                image: localhost/paddock-demo:1
                command: ["/bin/sh", "-c"]
                args:
                  - "echo \"$GREETING\" > /www/index.html; trap 'exit 0' TERM INT; /bin/httpd -f -p 8080 -h /www & wait"
                variables:
                  GREETING: "{greeting}"
                readinessProbe:
                  httpGet:
                    port: 8080
                    path: /
            service:
              ports:
                web:
                  port: 8080
            """,
    };

    [EngineFact]
    public async Task A_team_registers_a_repository_an_environment_follows_it_by_click_and_a_pushed_change_reaches_the_open_page_and_the_edge()
    {
        await using var git = await GitServer.StartAsync();
        var team = PageActions.Unique("gitteam");
        var app = PageActions.Unique("gitapp");
        using var admin = world.ApiClient(world.AdminToken);
        await admin.CreateAppWithDevEnvironmentAsync(team, app);
        var repo = await git.CreateRepositoryAsync(PageActions.Unique("shop"));
        var first = await repo.CommitAsync("Greet from git", Workload(app, "hello from git one"));
        var hook = await (await admin.PostAsJsonAsync($"/api/v1/teams/{team}/webhooks", new { source = "generic" })).Content.ReadFromJsonAsync<JsonElement>();

        await using var browser = await world.Browser.NewPageAsync(world.BaseUrl);
        var page = browser.Page;
        try
        {
            await page.SignInAsync(world.AdminEmail, world.AdminPassword);

            // The team registers the repository; the credential fields are emptied and the list never shows one.
            await page.GoToAsync($"/teams/{team}");
            var repositories = page.GetByLabel("Git repositories");
            await repositories.GetByLabel("Repository URL").FillAsync(repo.Url);
            await repositories.GetByRole(AriaRole.Button, new() { Name = "Register repository" }).ClickAsync();
            await Expect(repositories.GetByLabel("Repositories")).ToContainTextAsync(repo.Url);
            await Expect(repositories.GetByLabel("Repository URL")).ToHaveValueAsync("");

            // The environment's first deployment (the app's image) must be done before a plan from git can be applied.
            await page.GoToAsync($"/apps/{app}/environments/dev");
            await Expect(page.GetByLabel("Status Running")).ToBeVisibleAsync(Slow);
            await page.GetByRole(AriaRole.Tab, new() { Name = "Source", Exact = true }).ClickAsync();
            await page.GetByLabel("Repository (id or URL registered by the team)").FillAsync(repo.Url);
            await page.GetByLabel("Workload file").FillAsync("deploy/score.yaml");
            await page.GetByRole(AriaRole.Button, new() { Name = "Follow", Exact = true }).ClickAsync();

            var running = page.GetByLabel("Running commit");
            await Expect(running).ToContainTextAsync($"{first[..12]} Greet from git — Ada Tester <ada@example.com>", SlowText);
            await Expect(page.GetByLabel("Sync state Synced")).ToBeVisibleAsync(Slow);
            var address = await EnvironmentUrlAsync(admin, app);
            await ExpectAnswerAsync(address, "hello from git one");

            // From here on the page is never loaded again: what follows arrives through its live updates.
            var pageLoads = 0;
            page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) pageLoads++; };
            page.Load += (_, _) => pageLoads++;

            var second = await repo.CommitAsync("Greet twice", Workload(app, "hello from git two"));
            await SendGenericPushAsync(hook, repo.Url);

            await Expect(running).ToContainTextAsync($"{second[..12]} Greet twice — Ada Tester <ada@example.com>", SlowText);
            await Expect(page.GetByLabel("Branch head")).ToContainTextAsync(second[..12]);
            await Expect(page.GetByLabel("Sync state Synced")).ToBeVisibleAsync(Slow);
            await page.GetByRole(AriaRole.Tab, new() { Name = "Deployments" }).ClickAsync();
            var history = page.GetByLabel("Deployment history");
            await Expect(history.GetByRole(AriaRole.Row).Filter(new() { HasText = $"{second[..12]} Greet twice" })).ToBeVisibleAsync(Slow);
            await Expect(history.GetByLabel("Deployment 3 Succeeded")).ToBeVisibleAsync(Slow);
            await ExpectAnswerAsync(address, "hello from git two");
            Assert.Equal(0, pageLoads);
        }
        catch
        {
            var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
            Directory.CreateDirectory(shots);
            await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "git-journey-failure.png"), FullPage = true });
            throw;
        }
    }

    /// <summary>What a forge sends after a push: the generic hook's shape, signed with the hook's secret.</summary>
    private async Task SendGenericPushAsync(JsonElement hook, string repositoryUrl)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new { repository = repositoryUrl, branch = "main" });
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(hook.GetProperty("secret").GetString()!), body));
        using var client = new HttpClient { BaseAddress = new Uri(world.BaseUrl) };
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.GetProperty("webhook").GetProperty("receiverPath").GetString())
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new("application/json") } },
            Headers = { { "X-Hub-Signature-256", signature } },
        };
        var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"The webhook answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task<string> EnvironmentUrlAsync(HttpClient admin, string app)
    {
        var env = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/apps/{app}/environments/dev");
        var url = env.GetProperty("url").GetString()!;
        Assert.Matches(new Regex(@"^http://[a-z0-9-]+\.localhost:\d+/$"), url);
        return url;
    }

    /// <summary>Reads the URL in a fresh browser context (no cached page from the version before).</summary>
    private async Task ExpectAnswerAsync(string address, string text)
    {
        await using var fresh = await world.Browser.NewPageAsync(address);
        await fresh.Page.GotoAsync(address);
        await Expect(fresh.Page.GetByText(text)).ToBeVisibleAsync(Slow);
    }
}
