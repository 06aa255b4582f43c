using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Paddock.Domain.Names;
using Paddock.Domain.Teams;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

[Collection(PortalCollection.Name)]
public sealed class TeamQuotaJourneyTests(PortalServer portal)
{
    [Fact]
    public async Task An_owner_sets_the_environment_quota_sees_a_bad_value_refused_and_a_viewer_only_reads_it()
    {
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        var team = PageActions.Unique("quota");
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.CreateTeamAsync(team);
        var panel = page.GetByLabel("Environment quota");
        await Expect(panel).ToContainTextAsync("none (the cluster's default applies)");

        await panel.GetByLabel("CPU (millicores)").FillAsync("5");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Save quota" }).ClickAsync();
        await Expect(panel).ToContainTextAsync("cpuMillicores must be between 10 and 1000000.");
        Assert.Null(await QuotaAsync(team));

        await panel.GetByLabel("CPU (millicores)").FillAsync("1500");
        await panel.GetByLabel("Pods").FillAsync("6");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Save quota" }).ClickAsync();
        await Expect(panel.GetByTestId("current-quota")).ToContainTextAsync("cpu 1500m, pods 6");
        Assert.Equal(new EnvironmentQuota(1500, null, 6), await QuotaAsync(team));

        var viewerEmail = $"{PageActions.Unique("viewer")}@example.com";
        var viewer = await portal.CreateUserAsync(viewerEmail);
        await portal.AddMemberAsync(team, viewer.UserId, TeamRole.Viewer);
        await using var viewerBrowser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var viewerPage = viewerBrowser.Page;
        await viewerPage.SignInAsync(viewerEmail, viewer.Password);
        await viewerPage.GoToAsync($"/teams/{team}");
        var viewerPanel = viewerPage.GetByLabel("Environment quota");
        await Expect(viewerPanel).ToContainTextAsync("cpu 1500m, pods 6");
        await Expect(viewerPanel.GetByRole(AriaRole.Button, new() { Name = "Save quota" })).ToHaveCountAsync(0);

        await panel.GetByLabel("CPU (millicores)").FillAsync("");
        await panel.GetByLabel("Pods").FillAsync("");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Save quota" }).ClickAsync();
        await Expect(panel.GetByTestId("current-quota")).ToContainTextAsync("none (the cluster's default applies)");
        Assert.Null(await QuotaAsync(team));
    }

    private Task<EnvironmentQuota?> QuotaAsync(string team) => portal.WithDbAsync(async db =>
        (await db.Teams.AsNoTracking().SingleAsync(t => t.Name == TeamName.Parse(team))).Quota);
}
