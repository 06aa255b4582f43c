using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>What a new user meets in the first hour (issue #18): nothing that names nothing spins forever, the first
/// screen is visible, a phone can sign out, errors stay where they belong and the pages never contradict themselves.</summary>
[Collection(PortalCollection.Name)]
public sealed class FirstHourJourneyTests(PortalServer portal)
{
    [Fact]
    public async Task Addresses_that_name_nothing_show_a_not_found_page_with_a_way_back_while_the_api_keeps_problem_details()
    {
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);

        await page.GoToAsync("/apps/nosuch");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Progressbar)).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "All applications" })).ToBeVisibleAsync();

        await page.GoToAsync("/apps/nosuch/environments/nosuch");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Deploy" })).ToHaveCountAsync(0);

        await page.GoToAsync("/teams/nosuch");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Expect(page.Locator("a[href='/teams/nosuch/delivery']")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "All teams" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/teams$"));

        var unknown = await page.GotoAsync("/no/such/page");
        Assert.Equal(404, unknown!.Status);
        Assert.StartsWith("text/html", unknown.Headers["content-type"]);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Go to the dashboard" })).ToBeVisibleAsync();

        var api = await browser.Context.APIRequest.GetAsync(portal.BaseUrl + "/api/v1/nosuch");
        Assert.Equal(404, api.Status);
        Assert.StartsWith("application/problem+json", api.Headers["content-type"]);
    }

    [Fact]
    public async Task The_sign_in_page_shows_bordered_fields_and_a_filled_button_and_the_portal_has_a_favicon()
    {
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;

        await page.GotoAsync("/login");
        var email = page.GetByLabel("Email");
        Assert.NotEqual("0px", await email.EvaluateAsync<string>("e => getComputedStyle(e).borderTopWidth"));
        Assert.NotEqual("0px", await page.GetByLabel("Password").EvaluateAsync<string>("e => getComputedStyle(e).borderTopWidth"));
        var background = await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual("rgba(0, 0, 0, 0)", background);

        var favicon = await browser.Context.APIRequest.GetAsync(portal.BaseUrl + "/favicon.ico");
        Assert.Equal(200, favicon.Status);
        Assert.True((await favicon.BodyAsync()).Length > 0);
    }

    [Fact]
    public async Task At_a_phones_width_the_dashboard_fits_and_the_menu_signs_out()
    {
        using var admin = portal.ApiClient(portal.AdminToken);
        var team = PageActions.Unique("phone");
        var app = PageActions.Unique("a-rather-long-app-name");
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = team })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/apps", new { name = app, team, image = "localhost/paddock-demo:1", port = 8080 })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = "production", stage = "production", backend = "docker" })).EnsureSuccessStatusCode();

        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl, width: 390, height: 844);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);

        var row = page.Locator($"[data-environment='{app}/production']");
        await Expect(row).ToBeVisibleAsync();
        var box = await row.BoundingBoxAsync();
        Assert.True(box!.X + box.Width <= 390, $"The environment row ends at {box.X + box.Width} px, past the 390 px screen.");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "The dashboard scrolls sideways.");

        // The app bar has no room for "Sign out" at this width; the menu has it.
        var signOut = page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).Filter(new() { Visible = true });
        if (await signOut.CountAsync() == 0) await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await Expect(signOut).ToHaveCountAsync(1);
        var button = await signOut.BoundingBoxAsync();
        Assert.True(button!.X >= 0 && button.X + button.Width <= 390, $"Sign out is at {button.X}..{button.X + button.Width} px, off the 390 px screen.");
        await signOut.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
    }

    [Fact]
    public async Task A_taken_name_is_shown_at_its_field_and_the_error_goes_once_a_corrected_retry_succeeds()
    {
        var team = PageActions.Unique("taken");
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.CreateTeamAsync(team);

        await page.GoToAsync("/teams");
        await page.GetByLabel("Team name").FillAsync(team);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
        await Expect(page.GetByText($"The team name '{team}' is taken").First).ToBeVisibleAsync();
        // Toasts sit bottom left, away from the pages' primary buttons at the top right.
        await Expect(page.Locator(".mud-snackbar-location-bottom-left")).ToBeVisibleAsync();

        await page.GetByLabel("Team name").FillAsync(team + "-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create team" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/teams/{team}-2$"));
        await Expect(page.GetByText("is taken")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_password_change_lists_every_problem_at_once()
    {
        var email = $"{PageActions.Unique("pw")}@example.com";
        var (_, password, _) = await portal.CreateUserAsync(email);
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(email, password);

        await page.GoToAsync("/account");
        await page.GetByLabel("Current password").FillAsync("not-my-password");
        await page.GetByLabel("New password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();

        await Expect(page.GetByText("The current password is wrong.")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Problems with the new password")).ToContainTextAsync("12");
    }

    [Fact]
    public async Task The_audit_list_names_its_targets_with_links_and_keeps_its_filters_in_the_address()
    {
        using var admin = portal.ApiClient(portal.AdminToken);
        var team = PageActions.Unique("audited");
        var app = PageActions.Unique("named");
        await admin.CreateAppWithDevEnvironmentAsync(team, app);

        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync($"/audit?app={app}");

        await Expect(page.GetByLabel("App filter")).ToHaveValueAsync(app);
        var created = page.GetByLabel("Audit events").Locator("tr[data-action='environment.created']");
        await Expect(created.GetByRole(AriaRole.Link, new() { Name = $"{app} / dev" })).ToHaveAttributeAsync("href", $"/apps/{app}/environments/dev");
        await Expect(created).Not.ToContainTextAsync(new Regex("[0-9a-f]{8}-[0-9a-f]{4}-"));

        await page.GetByLabel("Action", new() { Exact = true }).FillAsync("environment.*");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($@"/audit\?.*app={app}"));
        await Expect(page).ToHaveURLAsync(new Regex(@"action=environment\.(\*|%2A)"));
        await Expect(page.GetByLabel("Audit events").Locator("tr[data-action='app.created']")).ToHaveCountAsync(0);

        // The address alone brings the same view back, as a shared link would.
        var shared = page.Url;
        await using var other = await portal.Browser.NewPageAsync(portal.BaseUrl);
        await other.Page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await other.Page.GoToAsync(shared);
        await Expect(other.Page.GetByLabel("Action", new() { Exact = true })).ToHaveValueAsync("environment.*");
        await Expect(other.Page.GetByLabel("Audit events").Locator("tr[data-action='environment.created']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task The_delivery_page_agrees_with_itself_when_nothing_reached_production_and_its_charts_say_they_are_empty()
    {
        using var admin = portal.ApiClient(portal.AdminToken);
        var team = PageActions.Unique("quiet");
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = team })).EnsureSuccessStatusCode();
        // A ticket with no creation time and no commit: in flight, but with no age to rank.
        (await admin.PostAsJsonAsync("/api/v1/tickets", new { team, key = "QUIET-1", title = "Not started" })).EnsureSuccessStatusCode();

        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync($"/teams/{team}/delivery");

        await Expect(page.Locator("[data-measure='In flight']")).ToContainTextAsync("1");
        await Expect(page.GetByText("1 ticket is not in production yet")).ToBeVisibleAsync();
        await Expect(page.GetByText("Every ticket")).ToHaveCountAsync(0);
        var recovery = page.GetByRole(AriaRole.Region, new() { Name = "Failed deployment recovery time" });
        await Expect(recovery).ToContainTextAsync("nothing to recover from");
        await Expect(recovery).Not.ToContainTextAsync("every failure recovered");
        await Expect(page.GetByRole(AriaRole.Figure, new() { Name = "Succeeded production deployments per week" }))
            .ToContainTextAsync("No succeeded production deployment in these weeks yet.");
    }

    [Fact]
    public async Task The_ticket_page_tells_where_a_ticket_runs_now_from_where_it_has_been()
    {
        var history = await DeliveryHistory.SeedAsync(portal);
        var key = history.Key(3); // in staging only
        // Staging's current deployment: the one with the ticket, or the one of the revision (the other argument null).
        async Task SetStagingCurrent(string? ticket, int? revision) => await portal.WithDbAsync(db => db.Database.ExecuteSqlAsync($"""
            UPDATE environments e SET current_deployment_id = (SELECT d.id FROM deployments d WHERE d.environment_id = e.id
                AND ({ticket} = ANY(d.tickets) OR d.revision = {revision}))
            WHERE e.name = 'staging' AND e.application_id = (SELECT id FROM applications WHERE name = {history.App})
            """));
        await SetStagingCurrent(key, null);

        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync($"/tickets/{key}?team={history.Team}");
        var now = page.GetByRole(AriaRole.Region, new() { Name = "Where it is now" });
        await Expect(now.GetByLabel($"Running in {history.App} / staging")).ToBeVisibleAsync();

        // Staging rolls back to the revision before the ticket: it is no longer there, but it has been.
        await portal.WithDbAsync(db => db.Database.ExecuteSqlAsync($"""
            INSERT INTO deployments (id, environment_id, application_id, revision, snapshot, triggered_by_id, triggered_by_name, tickets,
                                     status, queued_at, started_at, finished_at, redeploy_of)
            SELECT gen_random_uuid(), d.environment_id, d.application_id, 200, d.snapshot, 'e2e', 'e2e', ARRAY[]::text[],
                   'Succeeded', now(), now(), now(), d.id
            FROM deployments d JOIN environments e ON e.id = d.environment_id JOIN applications a ON a.id = e.application_id
            WHERE a.name = {history.App} AND e.name = 'staging' AND d.revision = 100
            """));
        await SetStagingCurrent(null, 200);
        await page.ReloadAsync();
        await page.WaitForInteractiveAsync();
        await Expect(now).ToContainTextAsync("Not running anywhere now");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Timeline" }).Locator("[data-step=Staging]")).ToBeVisibleAsync();
    }
}
