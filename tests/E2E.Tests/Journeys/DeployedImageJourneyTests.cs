using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>Deploying an image makes it the environment's image (issue #18): the page, the next deploy and the sync
/// status agree; the URL stays while a deploy runs; the Logs tab shows the demo image's access log; the timeline and
/// the audit list name revisions and environments instead of ids.</summary>
[Collection(DeployingCollection.Name)]
public sealed class DeployedImageJourneyTests(DeployingWorld world)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 40_000 };

    [EngineFact]
    public async Task A_deployed_image_becomes_the_environments_image_and_the_page_names_what_it_shows()
    {
        using var admin = world.ApiClient(world.AdminToken);
        var team = PageActions.Unique("image");
        var app = PageActions.Unique("kept");
        await admin.CreateAppWithDevEnvironmentAsync(team, app);

        await using var browser = await world.Browser.NewPageAsync(world.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(world.AdminEmail, world.AdminPassword);
        await page.GoToAsync($"/apps/{app}/environments/dev");
        await Expect(page.GetByLabel("Status Running")).ToBeVisibleAsync(Slow);
        await Expect(page.GetByLabel("Environment image")).ToContainTextAsync("localhost/paddock-demo:1 (the application's)");
        var url = page.GetByRole(AriaRole.Link, new() { Name = "Environment URL" });
        var address = await url.GetAttributeAsync("href");

        // The Logs tab says so when there is nothing yet; the demo image writes a line per request.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Logs" }).ClickAsync();
        // Chromium resolves *.localhost to loopback; .NET's resolver does not, so the request goes through a browser.
        await using (var visitor = await world.Browser.NewPageAsync(address!)) Assert.Equal(200, (await visitor.Page.GotoAsync(address!))!.Status);
        await Expect(page.GetByLabel("Log lines")).ToBeVisibleAsync();
        for (var attempt = 1; ; attempt++)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Refresh" }).ClickAsync();
            try
            {
                await Expect(page.GetByLabel("Log lines")).ToContainTextAsync("response:200", new() { Timeout = 2_000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 10) { }
        }

        // The dialog names the image an empty field deploys; another image becomes the environment's.
        await page.GetByRole(AriaRole.Tab, new() { Name = "Deployments" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy", Exact = true }).ClickAsync();
        var deploy = page.GetByRole(AriaRole.Dialog, new() { Name = "Deploy", Exact = true });
        await Expect(deploy).ToContainTextAsync("Empty: deploy localhost/paddock-demo:1, the environment's image");
        await deploy.GetByLabel("Image").FillAsync("localhost/paddock-demo:2");
        await deploy.GetByLabel("Tickets").FillAsync("KEEP-1");
        await deploy.GetByRole(AriaRole.Button, new() { Name = "Deploy now" }).ClickAsync();
        await Expect(deploy.GetByLabel("Plan lines")).ToContainTextAsync("its own image becomes localhost/paddock-demo:2");
        await deploy.GetByRole(AriaRole.Button, new() { Name = "Confirm deploy" }).ClickAsync();
        // While the new revision deploys, the old one serves the URL: the link stays.
        await Expect(url).ToBeVisibleAsync();
        var history = page.GetByLabel("Deployment history");
        await Expect(history.GetByLabel("Deployment 2 Succeeded")).ToBeVisibleAsync(Slow);
        await Expect(page.GetByLabel("Environment image")).ToContainTextAsync("localhost/paddock-demo:2");
        await Expect(page.GetByLabel("Environment image")).Not.ToContainTextAsync("the application's");
        await Expect(page.GetByLabel("Sync InSync")).ToBeVisibleAsync();
        await Expect(page.GetByText("Pending changes")).ToHaveCountAsync(0);

        // A plain deploy now keeps :2 (before, it silently went back to :1); it shows its plan first, which changes
        // nothing, and confirming applies that plan.
        await page.GetByRole(AriaRole.Button, new() { Name = "Deploy", Exact = true }).ClickAsync();
        await Expect(deploy).ToContainTextAsync("Empty: deploy localhost/paddock-demo:2");
        await deploy.GetByRole(AriaRole.Button, new() { Name = "Deploy now" }).ClickAsync();
        await Expect(deploy.GetByLabel("Plan lines")).ToContainTextAsync("Plan: 0 to add, 0 to change, 0 to destroy");
        await deploy.GetByRole(AriaRole.Button, new() { Name = "Confirm deploy" }).ClickAsync();
        await Expect(history.GetByLabel("Deployment 3 Succeeded")).ToBeVisibleAsync(Slow);
        await Expect(history.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByLabel("Deployment 3 Succeeded") })).ToContainTextAsync("localhost/paddock-demo:2");

        // The ticket runs in dev now; a rollback to revision 1 takes it out, and the timeline names the revision.
        await page.GotoAsync($"/tickets/KEEP-1?team={team}");
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByLabel($"Running in {app} / dev")).ToBeVisibleAsync();
        await page.GoToAsync($"/apps/{app}/environments/dev");
        await history.GetByRole(AriaRole.Button, new() { Name = "Redeploy 1" }).ClickAsync();
        var redeploy = page.GetByRole(AriaRole.Dialog, new() { Name = "Redeploy", Exact = true });
        await redeploy.GetByLabel("Reason").FillAsync("back to v1");
        await redeploy.GetByRole(AriaRole.Button, new() { Name = "Redeploy" }).ClickAsync();
        await Expect(history.GetByLabel("Deployment 4 Succeeded")).ToBeVisibleAsync(Slow);
        await Expect(page.GetByLabel("Environment image")).ToContainTextAsync("localhost/paddock-demo:1");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Events" }).ClickAsync();
        var timeline = page.GetByLabel("Event timeline");
        await Expect(timeline).ToContainTextAsync("redeploying revision 1");
        await Expect(timeline).Not.ToContainTextAsync(new Regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-"));

        await page.GotoAsync($"/tickets/KEEP-1?team={team}");
        await page.WaitForInteractiveAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Where it is now" })).ToContainTextAsync("Not running anywhere now");

        // The audit list names the environment of the recorded image change and links to it.
        await page.GoToAsync($"/audit?app={app}&action=environment.image_changed");
        var changes = page.GetByLabel("Audit events").Locator("tr[data-action='environment.image_changed']");
        await Expect(changes).ToHaveCountAsync(2);
        await Expect(changes.First.GetByRole(AriaRole.Link, new() { Name = $"{app} / dev" })).ToBeVisibleAsync();

        (await admin.DeleteAsync($"/api/v1/apps/{app}/environments/dev")).EnsureSuccessStatusCode();
    }
}
