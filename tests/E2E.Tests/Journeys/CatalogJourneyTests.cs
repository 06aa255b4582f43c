using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>Issue #23's catalog by click: the catalog page, the install dialog generated from the entry's parameters
/// (a bad value is refused at its field), the plan, apply, and the environment serving what was filled in. The world's
/// catalog is tests/E2E.Tests/TestCatalog (an entry on the demo image).</summary>
[Collection(DeployingCollection.Name)]
public sealed class CatalogJourneyTests(DeployingWorld world)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 60_000 };

    [EngineFact]
    public async Task An_entry_installed_by_click_shows_its_plan_then_comes_up_serving_the_parameter_it_was_given()
    {
        using var admin = world.ApiClient(world.AdminToken);
        var team = PageActions.Unique("shelf");
        var app = PageActions.Unique("greeter");
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = team })).EnsureSuccessStatusCode();
        var shots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(shots);

        await using var browser = await world.Browser.NewPageAsync(world.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(world.AdminEmail, world.AdminPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Catalog" }).ClickAsync();
        await page.ExpectLandedOnAsync("/catalog");
        await page.GetByLabel("Search the catalog").FillAsync("greet");
        var card = page.Locator("[data-entry=greeter]");
        await Expect(card.GetByText("version 1.0.0")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "catalog.png"), FullPage = true });

        await card.GetByRole(AriaRole.Button, new() { Name = "Install Greeter" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Install Greeter" });
        await dialog.GetByLabel("Team").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = team, Exact = true }).ClickAsync();
        await dialog.GetByLabel("App", new() { Exact = true }).FillAsync(app);
        await dialog.GetByLabel("Environment", new() { Exact = true }).FillAsync("prod");
        await Expect(dialog.GetByLabel("Token")).ToHaveValueAsync("generated");

        // A value its pattern refuses: the message is at the field, nothing is planned.
        await dialog.GetByLabel("Greeting").FillAsync("hello 42!");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Plan install" }).ClickAsync();
        await Expect(dialog.GetByText("Greeting: 'hello 42!' does not match the pattern")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "catalog-install-error.png"), FullPage = true });

        await dialog.GetByLabel("Greeting").FillAsync("Hello from the catalog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Plan install" }).ClickAsync();
        var plan = dialog.GetByLabel("Plan lines");
        await Expect(plan).ToContainTextAsync("greeter");
        await Expect(plan).ToContainTextAsync("to add");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "catalog-install-plan.png"), FullPage = true });

        await dialog.GetByRole(AriaRole.Button, new() { Name = "Apply", Exact = true }).ClickAsync();
        await page.ExpectLandedOnAsync($"/apps/{app}/environments/prod");
        await Expect(page.GetByLabel("Installed from the catalog: greeter 1.0.0")).ToBeVisibleAsync();
        var graph = page.GetByLabel("Environment graph");
        await Expect(graph.GetByLabel("Container greeter is Healthy")).ToBeVisibleAsync(Slow);
        var url = page.GetByRole(AriaRole.Link, new() { Name = "Environment URL" });
        await Expect(url).ToBeVisibleAsync(Slow);
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "catalog-installed.png"), FullPage = true });

        var address = await url.GetAttributeAsync("href");
        await using (var visitor = await world.Browser.NewPageAsync(address!))
        {
            await visitor.Page.GotoAsync(address!);
            await Expect(visitor.Page.Locator("body")).ToContainTextAsync("Hello from the catalog");
        }

        // The app's page marks the environment as installed from the catalog.
        await page.GoToAsync($"/apps/{app}");
        await Expect(page.Locator("[data-environment=prod]").GetByLabel("Installed from the catalog: greeter 1.0.0")).ToBeVisibleAsync();

        // Recorded as an older version, the catalog's 1.0.0 is an upgrade: planned and applied from the environment page.
        await world.WithDbAsync(db => db.CatalogInstalls.Where(i => i.EntryId == "greeter")
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.Version, "0.9.0")));
        await page.GoToAsync($"/apps/{app}/environments/prod");
        await Expect(page.GetByLabel("Installed from the catalog: greeter 0.9.0")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Upgrade to 1.0.0" }).ClickAsync();
        var upgrade = page.GetByRole(AriaRole.Dialog, new() { Name = "Upgrade" });
        await Expect(upgrade.GetByLabel("Plan lines")).ToContainTextAsync("Plan:");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "catalog-upgrade-plan.png"), FullPage = true });
        await upgrade.GetByRole(AriaRole.Button, new() { Name = "Apply upgrade" }).ClickAsync();
        await Expect(page.GetByLabel("Installed from the catalog: greeter 1.0.0")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Upgrade to 1.0.0" })).ToHaveCountAsync(0);

        await admin.DeleteAsync($"/api/v1/apps/{app}/environments/prod");
    }
}
