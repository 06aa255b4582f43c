using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Paddock.Domain.Resources;
using Paddock.E2E.Tests.Infrastructure;
using Paddock.Persistence.Secrets;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>The environment page's resources for members: a secret output stays masked until revealed (then copied,
/// shown, audited, and hidden again on a click), and the create dialog's "Copy data from" sends <c>copyFrom</c>, whose
/// refusal shows at that field. No worker runs here: resources are rows as a worker records them.</summary>
[Collection(PortalCollection.Name)]
public sealed class ResourceOutputsJourneyTests(PortalServer portal)
{
    [Fact]
    public async Task A_secret_output_is_masked_until_a_member_reveals_it_and_the_reveal_is_audited()
    {
        var team = PageActions.Unique("reveal");
        var app = PageActions.Unique("reveal");
        using var admin = portal.ApiClient(portal.AdminToken);
        await admin.CreateAppWithDevEnvironmentAsync(team, app);
        var password = "pw-" + Guid.NewGuid().ToString("N");
        var resourceId = await AddReadyDatabaseAsync(app, password);

        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        await browser.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync($"/apps/{app}/environments/dev");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Resources" }).ClickAsync();

        await Expect(page.GetByLabel("password of db is masked")).ToBeVisibleAsync();
        await Expect(page.GetByText("db.internal")).ToBeVisibleAsync();
        await Expect(page.Locator("body")).Not.ToContainTextAsync(password);
        Assert.Empty(await RevealsAsync(resourceId));

        await page.GetByRole(AriaRole.Button, new() { Name = "Reveal and copy password of db" }).ClickAsync();
        var shown = page.GetByLabel("Value of password of db");
        await Expect(shown).ToHaveTextAsync(password);
        Assert.Equal(password, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        var audited = Assert.Single(await RevealsAsync(resourceId));
        Assert.Contains("\"output\":\"password\"", audited.After);
        Assert.DoesNotContain(password, audited.After);

        // A click hides it again.
        await shown.ClickAsync();
        await Expect(page.GetByLabel("password of db is masked")).ToBeVisibleAsync();
        await Expect(page.Locator("body")).Not.ToContainTextAsync(password);
    }

    [Fact]
    public async Task Copy_data_from_in_the_create_dialog_sends_copy_from_and_its_refusal_shows_at_that_field()
    {
        var team = PageActions.Unique("copy");
        var app = PageActions.Unique("copy");
        using var admin = portal.ApiClient(portal.AdminToken);
        await admin.CreateAppWithDevEnvironmentAsync(team, app);

        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync($"/apps/{app}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create environment" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Environment name").FillAsync("qa");
        // Exactly "dev": the stage select's "Development" would match a looser choice.
        await dialog.GetByLabel("Copy data from").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "dev", Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        // The app declares no database, so dev has none to copy: the API's 422 at copyFrom.environment, under the select.
        await Expect(dialog.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("'dev' has no ready resource to copy");
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/apps/{app}/environments/qa")).StatusCode);
    }

    /// <summary>A ready database "db" in the app's dev environment, as the worker records one (its password encrypted
    /// with the portal's key); answers the row's id, which its audit entries name.</summary>
    private async Task<string> AddReadyDatabaseAsync(string app, string password)
    {
        var protector = portal.Services.GetRequiredService<SecretProtector>();
        return await portal.WithDbAsync(async db =>
        {
            var appId = await db.Applications.Where(a => a.Name == Domain.Names.AppName.Parse(app)).Select(a => a.Id).SingleAsync();
            var envId = await db.Environments.Where(e => e.ApplicationId == appId && e.DeletedAt == null).Select(e => e.Id).SingleAsync();
            var resourceId = $"postgres.default#{app}.db";
            var row = new EnvironmentResource(envId, "db", "postgres", "default", resourceId, ResourceUid.For(envId, resourceId), 0, DateTime.UtcNow);
            row.Ready(new Dictionary<string, string> { ["host"] = "db.internal" },
                new Dictionary<string, string> { ["password"] = protector.Protect(password) }, null, DateTime.UtcNow);
            db.EnvironmentResources.Add(row);
            await db.SaveChangesAsync();
            return row.Id.ToString();
        });
    }

    private Task<List<Domain.Audit.AuditEvent>> RevealsAsync(string resourceId) =>
        portal.WithDbAsync(db => db.AuditEvents.AsNoTracking()
            .Where(e => e.Action == "resource.output_revealed" && e.TargetId == resourceId).ToListAsync());
}
