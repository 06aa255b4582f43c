using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

[Collection(PortalCollection.Name)]
public sealed class AuditJourneyTests(PortalServer portal)
{
    [Fact]
    public async Task The_audit_page_lists_the_journeys_actions_by_their_actor_with_a_before_and_after_diff()
    {
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        var team = PageActions.Unique("audit");
        var app = PageActions.Unique("audited");
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);

        await page.CreateTeamAsync(team);
        await page.GoToAsync($"/apps/new?team={team}");
        await page.GetByLabel("Application name").FillAsync(app);
        await page.GetByLabel("Container image").FillAsync("localhost/paddock-demo:1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create application" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/apps/{app}$"));
        await page.GoToAsync($"/apps/{app}/edit");
        await page.GetByLabel("Container image").FillAsync("localhost/paddock-demo:2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/apps/{app}$"));

        await page.GoToAsync("/audit");
        await Expect(page.GetByLabel("Chain verification")).ToContainTextAsync("verified");
        await page.GetByLabel("Team filter").FillAsync(team);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();

        var events = page.GetByLabel("Audit events");
        // The team's own events only: its creation, the app's creation and the app's change, the last two each with
        // the workload revision it made.
        await Expect(events.Locator("tr[data-action]")).ToHaveCountAsync(5);
        await Expect(events.Locator("tr[data-action='workload.revision_created']")).ToHaveCountAsync(2);
        await Expect(events.Locator("tr[data-action='team.created']")).ToContainTextAsync(portal.AdminEmail);
        await Expect(events.Locator("tr[data-action='app.created']")).ToContainTextAsync(portal.AdminEmail);
        var updated = events.Locator("tr[data-action='app.updated']");
        await Expect(updated).ToContainTextAsync(portal.AdminEmail);

        await updated.GetByRole(AriaRole.Button).ClickAsync();
        var changed = page.Locator("tr[data-changed=true]").Filter(new() { HasText = "image" });
        await Expect(changed).ToContainTextAsync("localhost/paddock-demo:1");
        await Expect(changed).ToContainTextAsync("localhost/paddock-demo:2");
    }
}
