using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

[Collection(PortalCollection.Name)]
public sealed class EnvironmentJourneyTests(PortalServer portal)
{
    [Fact]
    public async Task Signing_in_and_creating_a_team_an_app_and_an_environment_shows_the_environment_at_once_without_a_page_load()
    {
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        var team = PageActions.Unique("team");
        var app = PageActions.Unique("web");

        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Teams" }).First.ClickAsync();
        await page.GetByLabel("Team name").FillAsync(team);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/teams/{team}$"));

        await page.GetByRole(AriaRole.Link, new() { Name = "New app" }).ClickAsync();
        await page.GetByLabel("Application name").FillAsync(app);
        await page.GetByLabel("Container image").FillAsync("localhost/paddock-demo:1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create application" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/apps/{app}$"));

        await page.GetByRole(AriaRole.Button, new() { Name = "Create environment" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Environment name").FillAsync("dev");

        var navigations = 0;
        var loads = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
        page.Load += (_, _) => loads++;
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        var card = page.Locator("[data-environment=dev]");
        await Expect(card).ToBeVisibleAsync();
        // No worker runs in this test: the first deployment stays queued and the environment Pending.
        await Expect(card.GetByLabel("Status Pending")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToHaveCountAsync(0);
        Assert.Equal(0, navigations);
        Assert.Equal(0, loads);

        var saved = await portal.WithDbAsync(db => db.Environments.CountAsync(e => e.Name == Domain.Names.EnvironmentName.Parse("dev")
            && db.Applications.Any(a => a.Id == e.ApplicationId && a.Name == Domain.Names.AppName.Parse(app))));
        Assert.Equal(1, saved);

        await card.GetByRole(AriaRole.Link, new() { Name = "dev" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{app} / dev" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Deployment history").GetByText("localhost/paddock-demo:1")).ToBeVisibleAsync();
    }
}
