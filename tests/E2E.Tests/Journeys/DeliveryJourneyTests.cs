using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Paddock.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

[Collection(PortalCollection.Name)]
public sealed class DeliveryJourneyTests(PortalServer portal)
{
    [Fact]
    public async Task The_delivery_dashboard_shows_lead_time_the_four_keys_with_their_definitions_charts_and_the_tickets_in_flight()
    {
        var history = await DeliveryHistory.SeedAsync(portal);
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);

        await page.GoToAsync($"/teams/{history.Team}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Delivery" }).Last.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/teams/{history.Team}/delivery$"));

        // Two tickets delivered in the window: 3 h 10 min and 6 h from creation; the target is the default 4 h.
        var lead = page.GetByRole(AriaRole.Region, new() { Name = "Lead time", Exact = true });
        await Expect(lead.Locator("[data-measure=p50]")).ToContainTextAsync("3 h 10 min");
        await Expect(lead.Locator("[data-measure=p85]")).ToContainTextAsync("6 h");
        await Expect(lead.Locator("[data-measure='Under the 4 h target']")).ToContainTextAsync("50 %");
        await Expect(lead).ToContainTextAsync("of 2 tickets delivered");

        // Three production deployments, one failed and recovered an hour later; first commit → running: 2 h 10 min and 5 h.
        await Expect(page.GetByText("The four keys as defined in the DORA 2024 State of DevOps report")).ToBeVisibleAsync();
        var frequency = page.GetByRole(AriaRole.Region, new() { Name = "Deployment frequency" });
        await Expect(frequency).ToContainTextAsync("2 succeeded");
        await Expect(frequency).ToContainTextAsync("succeeded deployments to production-stage environments");
        var changes = page.GetByRole(AriaRole.Region, new() { Name = "Lead time for changes" });
        await Expect(changes).ToContainTextAsync("2 h 10 min");
        await Expect(changes).ToContainTextAsync("from the first commit");
        var failures = page.GetByRole(AriaRole.Region, new() { Name = "Change failure rate" });
        await Expect(failures).ToContainTextAsync("33.3 %");
        await Expect(failures).ToContainTextAsync("1 of 3 production deployments");
        await Expect(failures).ToContainTextAsync("rolled back");
        var recovery = page.GetByRole(AriaRole.Region, new() { Name = "Failed deployment recovery time" });
        await Expect(recovery).ToContainTextAsync("1 h");
        await Expect(recovery).ToContainTextAsync("to the next succeeded production deployment");

        // Each chart writes its values on its bars, so it reads without axes.
        foreach (var chart in new[] { "Lead time p50 per week", "Succeeded production deployments per week", "Change failure rate per week" })
            await Expect(page.GetByRole(AriaRole.Figure, new() { Name = chart }).Locator(".paddock-bar").First).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Figure, new() { Name = "Lead time p50 per week" })).ToContainTextAsync("3.2h");

        var inFlight = page.GetByLabel("Slowest tickets in flight");
        var row = inFlight.GetByRole(AriaRole.Row).Filter(new() { HasText = history.Key(3) });
        await Expect(row).ToContainTextAsync("Staging");

        // The export is the API's CSV for the same window, one line per ticket.
        var csvHref = await page.GetByRole(AriaRole.Link, new() { Name = "Export CSV" }).GetAttributeAsync("href");
        var csv = await browser.Context.APIRequest.GetAsync(portal.BaseUrl + csvHref);
        Assert.Equal(200, csv.Status);
        var lines = (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("key,title,type", lines[0]);
        Assert.Contains(lines, l => l.StartsWith($"{history.Key(1)},") && l.Contains(",3.167,"));

        // Filters live in the address; the ticket in flight links to its page.
        await page.ChooseAsync("Window", "Last 90 days");
        await Expect(page).ToHaveURLAsync(new Regex("days=90"));
        await Expect(lead.Locator("[data-measure=p50]")).ToContainTextAsync("3 h 10 min");
        await page.ChooseAsync("Application", history.App);
        await Expect(page).ToHaveURLAsync(new Regex($"app={history.App}"));
        await Expect(lead).ToContainTextAsync("of 2 tickets delivered");
        await inFlight.GetByRole(AriaRole.Link, new() { Name = history.Key(3) }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = history.Key(3) })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Timeline" }).Locator("[data-step=Staging]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_ticket_page_shows_its_way_to_production_with_the_time_between_steps_and_who_deployed()
    {
        var history = await DeliveryHistory.SeedAsync(portal);
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);

        await page.GoToAsync($"/teams/{history.Team}/delivery");
        await page.GetByLabel("Find a ticket").FillAsync(history.Key(1).ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Show ticket" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = history.Key(1) })).ToBeVisibleAsync();
        await Expect(page.GetByText("Refunds in one click")).ToBeVisibleAsync();
        await Expect(page.GetByText("lead time 3 h 10 min")).ToBeVisibleAsync();
        var timeline = page.GetByRole(AriaRole.Region, new() { Name = "Timeline" });
        await Expect(timeline.Locator("[data-step]")).ToHaveCountAsync(5);
        await Expect(timeline.Locator("[data-step=Created]")).ToContainTextAsync(history.Day10.ToString("yyyy-MM-dd HH:mm"));
        await Expect(timeline.Locator("[data-step=FirstCommit]")).ToContainTextAsync("+1 h");
        var staging = timeline.Locator("[data-step=Staging]");
        await Expect(staging).ToContainTextAsync("+1 h");
        await Expect(staging).ToContainTextAsync($"{history.App} / staging by {DeliveryHistory.Deployer}");
        await Expect(timeline.Locator("[data-step=Production]")).ToContainTextAsync($"{history.App} / prod by {DeliveryHistory.Deployer}");
        await Expect(timeline.Locator("[data-step=RunningInProduction]")).ToContainTextAsync("+10 min");
        await Expect(page.GetByLabel("Deployments that carried it").Locator("tbody tr")).ToHaveCountAsync(2);

        // The same key in a second team: the page asks which one, as the API does.
        using var admin = portal.ApiClient(portal.AdminToken);
        var other = PageActions.Unique("other");
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = other })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/tickets", new { team = other, key = history.Key(1), title = "Same key elsewhere" })).EnsureSuccessStatusCode();
        await page.GoToAsync($"/tickets/{history.Key(1)}");
        await Expect(page.GetByText($"{history.Key(1)} is a ticket of several teams")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = other }).ClickAsync();
        await Expect(page.GetByText("Same key elsewhere")).ToBeVisibleAsync();
        await Expect(page.GetByText("No deployment has carried this ticket yet.")).ToBeVisibleAsync();

        // The app bar's search finds a ticket by part of its title and opens that team's ticket.
        await page.GetByLabel("Search apps, environments, teams, tickets").FillAsync("refunds in one");
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = history.Key(1) }).First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/tickets/{history.Key(1)}\\?team={history.Team}$"));
        await Expect(page.GetByText("lead time 3 h 10 min")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_unknown_ticket_gets_a_readable_message()
    {
        await using var browser = await portal.Browser.NewPageAsync(portal.BaseUrl);
        var page = browser.Page;
        await page.SignInAsync(portal.AdminEmail, portal.AdminPassword);

        await page.GoToAsync("/tickets/NOPE-404404");
        await Expect(page.GetByText("No ticket NOPE-404404")).ToBeVisibleAsync();
        await Expect(page.GetByText("Paddock has not seen this key in any team you can see")).ToBeVisibleAsync();
    }
}

/// <summary>A small, exactly known delivery history for one fresh team: tickets through the API, deployments written
/// straight into the database with chosen times and outcomes (no engine needed).
/// Ticket 1: created 10 days ago, first commit +1 h, staging +2 h (done +2 h 05), production +3 h (running +3 h 10).
/// Ticket 2: created 5 days ago, first commit +1 h, production failed at +5 h, succeeded at +6 h.
/// Ticket 3: created 3 days ago, in staging only.</summary>
public sealed record DeliveryHistory(string Team, string App, string Prefix, DateTime Day10)
{
    public const string Deployer = "e2e-deployer";

    public string Key(int n) => $"{Prefix}-{n}";

    public static async Task<DeliveryHistory> SeedAsync(PortalServer portal)
    {
        var team = PageActions.Unique("deliver");
        var app = PageActions.Unique("shop");
        var prefix = "T" + Guid.NewGuid().ToString("N")[..5].ToUpperInvariant();
        var now = DateTime.UtcNow;
        var day10 = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc).AddDays(-10);
        var day5 = day10.AddDays(5);
        var day3 = day10.AddDays(7);
        var history = new DeliveryHistory(team, app, prefix, day10);

        using var admin = portal.ApiClient(portal.AdminToken);
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = team })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/apps", new { name = app, team, image = "localhost/paddock-demo:1", port = 8080 })).EnsureSuccessStatusCode();
        foreach (var (env, stage) in new[] { ("staging", "staging"), ("prod", "production") })
            (await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = env, stage, backend = "docker" })).EnsureSuccessStatusCode();
        var created = new[] { day10, day5, day3 };
        for (var n = 1; n <= 3; n++)
            (await admin.PostAsJsonAsync("/api/v1/tickets", new
            {
                team, key = history.Key(n), title = n == 1 ? "Refunds in one click" : $"Ticket {n}", type = "feature", createdAt = created[n - 1],
            })).EnsureSuccessStatusCode();

        await portal.WithDbAsync(async db =>
        {
            await db.Database.ExecuteSqlAsync($"""
                UPDATE tickets SET first_commit_at = created_at + interval '1 hour'
                WHERE key IN ({history.Key(1)}, {history.Key(2)}) AND team_id = (SELECT id FROM teams WHERE name = {team})
                """);
            var revision = 100;
            async Task Deploy(string env, string key, string status, DateTime queued, DateTime finished) =>
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO deployments (id, environment_id, application_id, revision, snapshot, triggered_by_id, triggered_by_name, tickets,
                                             status, queued_at, started_at, finished_at)
                    SELECT gen_random_uuid(), e.id, a.id, {revision++}, jsonb_build_object('image', 'localhost/paddock-demo:1', 'replicas', 1, 'port', 8080),
                           'e2e', {Deployer}, ARRAY[{key}], {status}, {queued}, {queued}, {finished}
                    FROM environments e JOIN applications a ON a.id = e.application_id
                    WHERE a.name = {app} AND e.name = {env}
                    """);
            await Deploy("staging", history.Key(1), "Succeeded", day10.AddHours(2), day10.AddHours(2).AddMinutes(5));
            await Deploy("prod", history.Key(1), "Succeeded", day10.AddHours(3), day10.AddHours(3).AddMinutes(10));
            await Deploy("prod", history.Key(2), "Failed", day5.AddHours(4).AddMinutes(50), day5.AddHours(5));
            await Deploy("prod", history.Key(2), "Succeeded", day5.AddHours(5).AddMinutes(50), day5.AddHours(6));
            await Deploy("staging", history.Key(3), "Succeeded", day3.AddHours(1), day3.AddHours(1).AddMinutes(5));
            return 0;
        });
        return history;
    }
}
