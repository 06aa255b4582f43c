using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Paddock.Domain.Teams;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

[Collection(PortalCollection.Name)]
public sealed class AppFormTests(PortalServer portal)
{
    [Fact]
    public async Task Bad_input_shows_the_field_error_next_to_the_field_and_saves_nothing()
    {
        var team = PageActions.Unique("forms");
        using var admin = portal.ApiClient(portal.AdminToken);
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = team })).EnsureSuccessStatusCode();
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        var auditBefore = await portal.WithDbAsync(db => db.AuditEvents.CountAsync());

        await page.GoToAsync($"/apps/new?team={team}");
        await page.GetByLabel("Application name").FillAsync("Not_A_Name");
        await page.GetByLabel("Container image").FillAsync("localhost/paddock-demo:1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create application" }).ClickAsync();

        // MudBlazor puts the error text in the field's helper line, right under the input.
        var nameField = page.Locator(".mud-input-control").Filter(new() { Has = page.GetByLabel("Application name") });
        await Expect(nameField.Locator(".mud-input-helper-text.mud-input-error")).ToContainTextAsync("lowercase");
        var imageField = page.Locator(".mud-input-control").Filter(new() { Has = page.GetByLabel("Container image") });
        await Expect(imageField.Locator(".mud-input-helper-text.mud-input-error")).ToHaveCountAsync(0);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/apps/new"));
        Assert.Equal(0, await portal.WithDbAsync(db => db.Applications.CountAsync(a => a.Name == Domain.Names.AppName.FromTrusted("not_a_name") || a.Name == Domain.Names.AppName.FromTrusted("Not_A_Name"))));
        Assert.Equal(auditBefore, await portal.WithDbAsync(db => db.AuditEvents.CountAsync()));
    }

    [Fact]
    public async Task Saving_a_form_that_someone_else_changed_meanwhile_shows_the_conflict_and_their_values()
    {
        var team = PageActions.Unique("stale");
        var app = PageActions.Unique("stale");
        using var admin = portal.ApiClient(portal.AdminToken);
        await admin.CreateAppAsync(team, app);
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync($"/apps/{app}/edit");
        await Expect(page.GetByLabel("Container image")).ToHaveValueAsync("localhost/paddock-demo:1");

        // Someone else changes the app behind the page's back.
        var patch = new StringContent("""{"image":"localhost/paddock-demo:2"}""", Encoding.UTF8, "application/merge-patch+json");
        (await admin.PatchAsync($"/api/v1/apps/{app}", patch)).EnsureSuccessStatusCode();

        await page.GetByLabel("Description").FillAsync("my stale change");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "changed this application" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Container image")).ToHaveValueAsync("localhost/paddock-demo:2");
        var saved = await portal.WithDbAsync(db => db.Applications.SingleAsync(a => a.Name == Domain.Names.AppName.Parse(app)));
        Assert.Equal("", saved.Description);
        Assert.Equal("localhost/paddock-demo:2", saved.Image);
    }

    [Fact]
    public async Task Private_registry_credentials_are_saved_from_the_form_and_the_password_is_never_shown_again()
    {
        var team = PageActions.Unique("reg");
        var app = PageActions.Unique("reg");
        using var admin = portal.ApiClient(portal.AdminToken);
        await admin.CreateAppAsync(team, app);
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync($"/apps/{app}/edit");
        await Expect(page.GetByLabel("Container image")).ToHaveValueAsync("localhost/paddock-demo:1");

        await page.GetByLabel("Registry server").FillAsync("registry.example.com:5000");
        await page.GetByLabel("Registry username").FillAsync("ci-bot");
        await page.GetByLabel("Registry password").FillAsync("form-typed-secret");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await page.ExpectLandedOnAsync($"/apps/{app}");

        var shown = await admin.GetStringAsync($"/api/v1/apps/{app}");
        Assert.Contains("\"hasPassword\":true", shown);
        Assert.DoesNotContain("form-typed-secret", shown);
        await page.GoToAsync($"/apps/{app}/edit");
        await Expect(page.GetByLabel("Registry username")).ToHaveValueAsync("ci-bot");
        await Expect(page.GetByLabel("Registry password")).ToHaveValueAsync("");
        Assert.DoesNotContain("form-typed-secret", await page.ContentAsync());
    }

    [Fact]
    public async Task An_environment_gets_its_own_registry_login_from_its_overrides_tab_and_can_drop_it_again()
    {
        var team = PageActions.Unique("envreg");
        var app = PageActions.Unique("envreg");
        using var admin = portal.ApiClient(portal.AdminToken);
        await admin.CreateAppAsync(team, app, new { server = "registry.example.com", username = "app-bot", password = "app-secret" });
        (await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = "dev", stage = "development", backend = "docker" })).EnsureSuccessStatusCode();
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync($"/apps/{app}/environments/dev");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Overrides" }).ClickAsync();
        await Expect(page.GetByText("uses the application's registry login (app-bot at registry.example.com)")).ToBeVisibleAsync();

        await page.GetByLabel("Registry server").FillAsync("other.example.com:5000");
        await page.GetByLabel("Registry username").FillAsync("env-bot");
        await page.GetByLabel("Registry password").FillAsync("env-typed-secret");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save overrides" }).ClickAsync();

        await Expect(page.GetByText("Images are pulled as env-bot from other.example.com:5000")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Registry password")).ToHaveValueAsync("");
        var shown = await admin.GetStringAsync($"/api/v1/apps/{app}/environments/dev");
        Assert.Contains("\"username\":\"env-bot\"", shown);
        Assert.DoesNotContain("env-typed-secret", shown);
        Assert.DoesNotContain("env-typed-secret", await page.ContentAsync());

        await page.GetByLabel("Remove the registry credentials").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save overrides" }).ClickAsync();
        await Expect(page.GetByText("uses the application's registry login (app-bot at registry.example.com)")).ToBeVisibleAsync();
        Assert.DoesNotContain("env-bot", await admin.GetStringAsync($"/api/v1/apps/{app}/environments/dev"));
    }

    [Fact]
    public async Task A_viewer_sees_no_buttons_that_would_fail_and_the_api_refuses_them_too()
    {
        var team = PageActions.Unique("view");
        var app = PageActions.Unique("view");
        using var admin = portal.ApiClient(portal.AdminToken);
        await admin.CreateAppAsync(team, app);
        (await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = "dev", stage = "development", backend = "docker" })).EnsureSuccessStatusCode();
        var viewer = await portal.CreateUserAsync($"{PageActions.Unique("viewer")}@example.com");
        await portal.AddMemberAsync(team, viewer.UserId, TeamRole.Viewer);

        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync((await portal.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == viewer.UserId))).Email!, viewer.Password);

        await page.GoToAsync($"/apps/{app}");
        await Expect(page.Locator("[data-environment=dev]")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Create environment" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete app" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Edit app" })).ToHaveCountAsync(0);

        await page.GoToAsync($"/apps/{app}/environments/dev");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{app} / dev" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Deploy" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete environment" })).ToHaveCountAsync(0);

        using var asViewer = portal.ApiClient(viewer.Token);
        var deploy = await asViewer.PostAsJsonAsync($"/api/v1/apps/{app}/environments/dev/deployments", new { image = "localhost/paddock-demo:2" });
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, deploy.StatusCode);
        var delete = await asViewer.DeleteAsync($"/api/v1/apps/{app}/environments/dev");
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, delete.StatusCode);
    }

    /// <summary>A team and its app on the demo image, made through the API as the admin.</summary>
}
