using System.Globalization;
using System.Net;
using System.Text.Json;
using Paddock.Domain.Delivery;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Delivery;

/// <summary>The delivery report on a hand-made history (times in hours after T0, window one week):
/// <code>
/// tickets  PAY-1 created 0 commit 1   PAY-2 created 1 commit 2   PAY-3 created 2 (bug)   PAY-4 created 0 (staging only)
///          PAY-5 created 30 (tracker clock ahead: deployed at 20)
/// prod     3 ok [PAY-1]   9 ok [PAY-2]   20 ok [PAY-5]   40 FAILED   42 ok [PAY-3]
/// staging  5 ok [PAY-1, PAY-4]
/// </code></summary>
public sealed class DeliveryApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static readonly DateTime T0 = new(2026, 10, 5, 0, 0, 0, DateTimeKind.Utc);

    private static string Window => $"from={T0:yyyy-MM-ddTHH:mm:ssZ}&to={T0.AddDays(7):yyyy-MM-ddTHH:mm:ssZ}";

    private async Task<(TeamScenario Scenario, DeliveryWorld World)> HistoryAsync()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var world = await DeliveryWorld.CreateAsync(portal, scenario);
        await world.TicketAsync("PAY-1", T0, T0.AddHours(1));
        await world.TicketAsync("PAY-2", T0.AddHours(1), T0.AddHours(2));
        await world.TicketAsync("PAY-3", T0.AddHours(2), type: TicketType.Bug);
        await world.TicketAsync("PAY-4", T0, title: "=HYPERLINK(\"x\")");
        await world.TicketAsync("PAY-5", T0.AddHours(30));
        await world.DeployAsync("shop", Stage.Production, T0.AddHours(3), tickets: "PAY-1");
        await world.DeployAsync("shop", Stage.Staging, T0.AddHours(5), tickets: ["PAY-1", "PAY-4"]);
        await world.DeployAsync("shop", Stage.Production, T0.AddHours(9), tickets: "PAY-2");
        await world.DeployAsync("shop", Stage.Production, T0.AddHours(20), tickets: "PAY-5");
        await world.DeployAsync("shop", Stage.Production, T0.AddHours(40), DeploymentStatus.Failed);
        await world.DeployAsync("shop", Stage.Production, T0.AddHours(42), tickets: "PAY-3");
        return (scenario, world);
    }

    private static double? Hours(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.Null ? null : e.GetProperty(name).GetDouble();

    [Fact]
    public async Task Lead_time_percentiles_share_under_target_and_in_flight_come_from_the_history()
    {
        var (scenario, _) = await HistoryAsync();
        var response = await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?{Window}");
        await Api.EnsureAsync(response, HttpStatusCode.OK);
        var lead = (await response.JsonAsync()).GetProperty("leadTime");

        // Lead times (created → running in production): PAY-5 0 (clock skew), PAY-1 3, PAY-2 8, PAY-3 40.
        var p = lead.GetProperty("percentiles");
        Assert.Equal((4, 3.0, 40.0, 40.0), (p.GetProperty("count").GetInt32(), Hours(p, "p50Hours"), Hours(p, "p85Hours"), Hours(p, "p95Hours")));
        Assert.Equal(0.5, lead.GetProperty("shareUnderTarget").GetDouble(), 6);
        Assert.Equal(4.0, lead.GetProperty("targetHours").GetDouble());
        Assert.Equal(1, lead.GetProperty("inFlight").GetInt32());
    }

    [Fact]
    public async Task Lead_time_can_start_at_the_first_commit()
    {
        var (scenario, _) = await HistoryAsync();
        var report = await (await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?{Window}&start=firstCommit")).JsonAsync();
        // PAY-1 2, PAY-2 7; PAY-3 and PAY-5 have no commit and fall back to creation: 40, 0.
        Assert.Equal(2.0, Hours(report.GetProperty("leadTime").GetProperty("percentiles"), "p50Hours"));
    }

    [Fact]
    public async Task The_dora_four_keys_follow_the_2024_definitions()
    {
        var (scenario, _) = await HistoryAsync();
        var dora = (await (await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?{Window}")).JsonAsync()).GetProperty("dora");

        Assert.Equal("DORA 2024", dora.GetProperty("definitions").GetString());
        Assert.Equal((5, 4), (dora.GetProperty("productionDeployments").GetInt32(), dora.GetProperty("succeededDeployments").GetInt32()));
        Assert.Equal(4.0, dora.GetProperty("deploymentsPerWeek").GetDouble(), 6);
        // Commit → production: PAY-1 2 h, PAY-2 7 h.
        Assert.Equal(2.0, Hours(dora.GetProperty("leadTimeForChanges"), "p50Hours"));
        // Failed changes: the failure at 40, and the deployment at 20 followed within 24 h by the bug fix at 42.
        Assert.Equal(2, dora.GetProperty("failedChanges").GetInt32());
        Assert.Equal(0.4, dora.GetProperty("changeFailureRate").GetDouble(), 6);
        // Recovery: 40 → 42 (2 h) and 20 → 42 (22 h); nearest-rank median 2 h.
        Assert.Equal(2.0, Hours(dora.GetProperty("recoveryTime"), "p50Hours"));
        Assert.Equal(0, dora.GetProperty("unrecovered").GetInt32());
    }

    [Fact]
    public async Task The_slowest_tickets_in_flight_show_how_far_they_got()
    {
        var (scenario, _) = await HistoryAsync();
        var report = await (await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?{Window}")).JsonAsync();
        var slowest = Assert.Single(report.GetProperty("slowestInFlight").EnumerateArray());
        Assert.Equal(("PAY-4", "Staging", 168.0), (slowest.GetProperty("key").GetString(), slowest.GetProperty("furthestStage").GetString(), slowest.GetProperty("ageHours").GetDouble()));
    }

    [Fact]
    public async Task An_app_filter_counts_only_that_apps_deployments_and_tickets()
    {
        var (scenario, world) = await HistoryAsync();
        await world.TicketAsync("OPS-1", T0);
        await world.DeployAsync("ops", Stage.Production, T0.AddHours(1), tickets: "OPS-1");

        var team = await (await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?{Window}")).JsonAsync();
        var shop = await (await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?{Window}&app={world.AppName("shop")}")).JsonAsync();

        Assert.Equal(6, team.GetProperty("dora").GetProperty("productionDeployments").GetInt32());
        Assert.Equal(5, shop.GetProperty("dora").GetProperty("productionDeployments").GetInt32());
        Assert.Equal(4, shop.GetProperty("leadTime").GetProperty("percentiles").GetProperty("count").GetInt32());
        await Api.EnsureAsync(await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?app=nope"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_csv_export_has_one_line_per_ticket_and_defuses_formulas()
    {
        var (scenario, _) = await HistoryAsync();
        var response = await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?{Window}&format=csv");
        await Api.EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');

        Assert.Equal("key,title,type,started_at,in_production_at,lead_time_hours,clock_skewed", lines[0]);
        Assert.Equal(6, lines.Length);
        Assert.Contains("PAY-3,Ticket PAY-3,Bug,2026-10-05T02:00:00Z,2026-10-06T18:00:00Z,40,false", lines);
        Assert.Contains(lines, l => l.StartsWith("PAY-5,") && l.EndsWith(",0,true", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("PAY-4,\"'=HYPERLINK(\"\"x\"\")\",", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_weekly_trend_covers_the_window()
    {
        var (scenario, _) = await HistoryAsync();
        var from = T0.AddDays(-7).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var report = await (await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?from={from}&to={T0.AddDays(7):yyyy-MM-ddTHH:mm:ssZ}")).JsonAsync();
        var weeks = report.GetProperty("weeks").EnumerateArray().ToList();
        Assert.Equal(2, weeks.Count);
        Assert.Equal((0, 4), (weeks[0].GetProperty("deployments").GetInt32(), weeks[1].GetProperty("deployments").GetInt32()));
    }

    [Fact]
    public async Task Another_team_gets_404_and_bad_parameters_get_400()
    {
        var (scenario, _) = await HistoryAsync();
        var other = await TeamScenario.CreateAsync(portal);
        await Api.EnsureAsync(await other.Owner.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery"), HttpStatusCode.NotFound);
        Assert.Contains("from", await Api.ErrorKeysAsync(await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?from=soon")));
        Assert.Contains("start", await Api.ErrorKeysAsync(await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?start=merged")));
        Assert.Contains("from", await Api.ErrorKeysAsync(await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?from=2026-10-10&to=2026-10-01")));
    }

    [Fact]
    public async Task A_team_target_and_key_patterns_are_its_own_and_only_members_change_them()
    {
        var (scenario, _) = await HistoryAsync();
        var url = $"/api/v1/teams/{scenario.TeamName}/delivery/settings";
        await Api.EnsureAsync((await scenario.Viewer.CallAsync(HttpMethod.Put, url, new { leadTimeTargetHours = 10 })).Response, HttpStatusCode.Forbidden);
        Assert.Contains("ticketKeyPatterns", await Api.ErrorKeysAsync((await scenario.Member.CallAsync(HttpMethod.Put, url, new { ticketKeyPatterns = new[] { "(" } })).Response));

        var (changed, call) = await scenario.Member.CallAsync(HttpMethod.Put, url, new { ticketKeyPatterns = new[] { "PAY-[0-9]+", "#[0-9]+" }, leadTimeTargetHours = 10 });
        await Api.EnsureAsync(changed, HttpStatusCode.OK);
        Assert.Equal("team.delivery_settings_changed", Assert.Single(portal.AuditOf(call)).Action);

        var lead = (await (await scenario.Viewer.GetAsync($"/api/v1/teams/{scenario.TeamName}/delivery?{Window}")).JsonAsync()).GetProperty("leadTime");
        Assert.Equal((10.0, 0.75), (lead.GetProperty("targetHours").GetDouble(), lead.GetProperty("shareUnderTarget").GetDouble()));
        var (ticket, _) = await scenario.Member.CallAsync(HttpMethod.Post, "/api/v1/tickets", new { team = scenario.TeamName, key = "#42" });
        await Api.EnsureAsync(ticket, HttpStatusCode.Created);
        Assert.Contains("key", await Api.ErrorKeysAsync((await scenario.Member.CallAsync(HttpMethod.Post, "/api/v1/tickets", new { team = scenario.TeamName, key = "OPS-1" })).Response));
    }
}
