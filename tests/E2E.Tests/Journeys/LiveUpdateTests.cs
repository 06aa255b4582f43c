using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using Paddock.Domain.Deployments;
using Paddock.E2E.Tests.Infrastructure;
using Paddock.Persistence;
using Paddock.Persistence.Events;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

[Collection(PortalCollection.Name)]
public sealed class LiveUpdateTests(PortalServer portal)
{
    [Fact]
    public async Task Progress_written_by_a_worker_reaches_open_pages_through_the_event_source_without_a_page_load()
    {
        var team = PageActions.Unique("live");
        var app = PageActions.Unique("live");
        using var admin = portal.ApiClient(portal.AdminToken);
        await admin.CreateAppWithDevEnvironmentAsync(team, app);

        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync($"/apps/{app}/environments/dev");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Events" }).ClickAsync();
        await Expect(page.GetByLabel("Status Pending")).ToBeVisibleAsync();

        var loads = 0;
        page.Load += (_, _) => loads++;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) loads++; };

        // What a worker does when it starts a deployment: change the environment, then announce an event.
        await WorkerStepAsync(app, env => env.DeploymentStarted(), "pulling", "Pulling localhost/paddock-demo:1 (from the test)");

        await Expect(page.GetByLabel("Status Deploying")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Event timeline")).ToContainTextAsync("Pulling localhost/paddock-demo:1 (from the test)");
        Assert.Equal(0, loads);
    }

    /// <summary>A worker's change that lands while the environment page is still reading (here: after it read the
    /// environment, while it waits for the deployments table, which the test holds locked) reaches the page once it has
    /// read. The page is opened from the app page's link, inside the running circuit, as users open it.</summary>
    [Fact]
    public async Task A_change_made_while_the_environment_page_loads_shows_once_it_has_loaded_without_a_page_load()
    {
        var team = PageActions.Unique("race");
        var app = PageActions.Unique("race");
        using var admin = portal.ApiClient(portal.AdminToken);
        await admin.CreateAppWithDevEnvironmentAsync(team, app);

        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await page.GoToAsync($"/apps/{app}");
        var card = page.Locator("[data-environment=dev]");
        await Expect(card.GetByLabel("Status Pending")).ToBeVisibleAsync();
        var loads = 0;
        page.Load += (_, _) => loads++;

        await using (var holder = new NpgsqlConnection(portal.ConnectionString))
        {
            await holder.OpenAsync();
            await using var held = await holder.BeginTransactionAsync();
            await using (var lockTable = new NpgsqlCommand("LOCK TABLE deployments IN ACCESS EXCLUSIVE MODE", holder, held)) await lockTable.ExecuteNonQueryAsync();
            await card.GetByRole(AriaRole.Link, new() { Name = "dev", Exact = true }).ClickAsync();
            await WaitForAQueryBlockedOnALockAsync();
            await WorkerStepAsync(app, env => env.DeploymentStarted(), "deploying", "Deploying (from the test, while the page reads)");
            await held.RollbackAsync();
        }

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{app} / dev" })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Status Deploying")).ToBeVisibleAsync();
        Assert.Equal(0, loads);
    }

    private async Task WaitForAQueryBlockedOnALockAsync()
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var command = new NpgsqlCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%deployments%'", connection);
            if ((long)(await command.ExecuteScalarAsync())! > 0) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The environment page never read the deployments table.");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_dashboard_works_in_a_narrow_window_warns_that_no_worker_is_online_and_keeps_the_navigation_behind_the_menu_button()
    {
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl, width: 400, height: 800);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dashboard" })).ToBeVisibleAsync();
        // This test's portal runs no worker, and the dashboard says so.
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "No worker is online" })).ToBeVisibleAsync();

        // The drawer closes itself on narrow screens; the menu button brings it back.
        var audit = page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Audit" });
        if (!await audit.IsVisibleAsync()) await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await audit.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Audit" })).ToBeVisibleAsync();
    }

    private async Task WorkerStepAsync(string app, Action<Domain.Environments.AppEnvironment> change, string phase, string message)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var appId = await db.Applications.Where(a => a.Name == Domain.Names.AppName.Parse(app)).Select(a => a.Id).SingleAsync();
        var env = await db.Environments.SingleAsync(e => e.ApplicationId == appId && e.DeletedAt == null);
        change(env);
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<EnvironmentEventLog>().AppendAsync(env.Id, null, phase, EventLevel.Info, message, CancellationToken.None);
        await transaction.CommitAsync();
    }
}
