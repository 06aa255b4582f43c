using System.Net.Http.Json;
using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Screenshots;

/// <summary>Runs only when <c>PADDOCK_SCREENSHOTS_DIR</c> is set (by scripts/screenshots.sh), so ./test.sh leaves the tree clean.</summary>
public sealed class ScreenshotFactAttribute : FactAttribute
{
    public const string Variable = "PADDOCK_SCREENSHOTS_DIR";

    public ScreenshotFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable))) Skip = "Refreshes docs/screenshots; run scripts/screenshots.sh.";
    }
}

[Collection(PortalCollection.Name)]
public sealed class ScreenshotTour(PortalServer portal)
{
    [ScreenshotFact]
    public async Task Every_main_page_is_saved_as_a_screenshot()
    {
        var directory = Environment.GetEnvironmentVariable(ScreenshotFactAttribute.Variable)!;
        Directory.CreateDirectory(directory);
        using var admin = portal.ApiClient(portal.AdminToken);
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = "payments", displayName = "Payments" })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/apps", new
        {
            name = "checkout", team = "payments", image = "localhost/paddock-demo:1", port = 8080, description = "The checkout web front end",
            env = new Dictionary<string, string> { ["LOG_LEVEL"] = "info", ["FEATURE_NEW_CART"] = "true" },
            secrets = new Dictionary<string, string> { ["STRIPE_KEY"] = "sk_test_not_a_real_key" },
        })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/apps/checkout/environments", new { name = "staging", stage = "staging", backend = "docker" })).EnsureSuccessStatusCode();

        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.GotoAsync("/login");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "login.png"), FullPage = true });
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);

        async Task Shoot(string name, string path, Func<Task>? prepare = null)
        {
            await page.GoToAsync(path);
            if (prepare is not null) await prepare();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, $"{name}.png"), FullPage = true });
        }

        await Shoot("dashboard", "/");
        await Shoot("teams", "/teams");
        await Shoot("team", "/teams/payments");
        await Shoot("app", "/apps/checkout");
        await Shoot("app-create-environment", "/apps/checkout", async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Create environment" }).ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByLabel("Environment name").FillAsync("dev");
        });
        await Shoot("app-edit", "/apps/checkout/edit");
        await Shoot("environment", "/apps/checkout/environments/staging", () =>
            Expect(page.GetByLabel("Environment graph")).ToBeVisibleAsync());
        await Shoot("catalog", "/catalog", async () =>
        {
            await Expect(page.Locator("[data-entry=mediawiki]")).ToBeVisibleAsync();
            // The drawer settles once the circuit has measured the window; a page this quick is otherwise shot mid-way.
            await page.WaitForTimeoutAsync(1000);
        });
        await Shoot("catalog-install", "/catalog/mediawiki", async () =>
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Install", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Dialog).GetByLabel("Wiki name")).ToBeVisibleAsync();
        });
        await Shoot("audit", "/audit", async () =>
        {
            var created = page.GetByLabel("Audit events").Locator("tr[data-action='app.created']").First;
            await created.GetByRole(AriaRole.Button).ClickAsync();
            await Expect(page.Locator("tr[data-changed]").First).ToBeVisibleAsync();
        });
        var delivery = await Journeys.DeliveryHistory.SeedAsync(portal);
        await Shoot("delivery", $"/teams/{delivery.Team}/delivery", () =>
            Expect(page.GetByRole(AriaRole.Figure, new() { Name = "Succeeded production deployments per week" }).Locator(".paddock-bar").First).ToBeVisibleAsync());
        await Shoot("ticket", $"/tickets/{delivery.Key(1)}?team={delivery.Team}", () =>
            Expect(page.GetByRole(AriaRole.Region, new() { Name = "Timeline" }).Locator("[data-step]")).ToHaveCountAsync(5));
        await Shoot("not-found", "/apps/nosuch");
        await Shoot("account", "/account");
        await Shoot("admin", "/admin");

        await using var phone = await portal.Browser.NewPageAsync(portal.BaseUrl, width: 390, height: 844);
        await phone.Page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await phone.Page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await phone.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "dashboard-phone.png"), FullPage = true });
        Assert.True(File.Exists(Path.Combine(directory, "dashboard.png")));
    }
}
