using System.Net;
using System.Text;
using Paddock.Domain.Resources;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Resources;

/// <summary>A team's resource quota (how many databases and resources its environments may hold): set by platform
/// admins only, checked when a workload is planned (422), when a plan is applied (409) and when an environment that
/// would get the app's resources is created (409), each naming the quota. No worker runs here: what environments hold
/// is written as the worker records it.</summary>
public sealed class ResourceQuotaTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Only_a_platform_admin_sets_a_teams_resource_quota_and_reads_it_back()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var url = $"/api/v1/teams/{scenario.TeamName}";

        var (byOwner, _) = await scenario.Owner.CallAsync(HttpMethod.Patch, url, new { resourceQuota = new { databases = 10 } });
        await Api.EnsureAsync(byOwner, HttpStatusCode.Forbidden);
        var (invalid, _) = await portal.AdminClient().CallAsync(HttpMethod.Patch, url, new { resourceQuota = new { databases = -1 } });
        Assert.Contains("resourceQuota", await Api.ErrorKeysAsync(invalid));
        var (set, call) = await portal.AdminClient().CallAsync(HttpMethod.Patch, url, new { resourceQuota = new { databases = 1, resources = 3 } });
        await Api.EnsureAsync(set, HttpStatusCode.OK);

        var read = await (await scenario.Viewer.GetAsync(url)).JsonAsync();
        Assert.Equal(1, read.GetProperty("resourceQuota").GetProperty("databases").GetInt32());
        Assert.Equal(3, read.GetProperty("resourceQuota").GetProperty("resources").GetInt32());
        Assert.Contains("resourceQuota", Assert.Single(portal.AuditOf(call)).After);
    }

    [Fact]
    public async Task Over_its_database_quota_a_plan_is_refused_naming_the_quota_and_the_environment_holding_one_may_keep_it()
    {
        var className = await CreateClassAsync();
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        await scenario.CreateEnvironmentAsync(app, "staging");
        await HoldsDatabaseAsync(portal.EnvironmentId(app, "dev"), className);
        await SetQuotaAsync(scenario, databases: 1);

        var refused = await PlanAsync(scenario.Member, app, "staging", className);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var message = Assert.Single((await refused.JsonAsync()).GetProperty("errors").GetProperty("/resources").EnumerateArray()).GetString();
        Assert.Contains($"Team '{scenario.TeamName}' would hold 2 databases, over its quota resourceQuota.databases = 1", message);

        // dev already holds that database: planning it there adds none.
        await Api.EnsureAsync(await PlanAsync(scenario.Member, app, "dev", className), HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_plan_made_within_the_quota_is_refused_at_apply_once_the_team_is_over_it()
    {
        var className = await CreateClassAsync();
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        await scenario.CreateEnvironmentAsync(app, "staging");
        var planned = await PlanAsync(scenario.Member, app, "staging", className);
        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        await HoldsDatabaseAsync(portal.EnvironmentId(app, "dev"), className);
        await SetQuotaAsync(scenario, databases: 1);

        var (applied, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{(await planned.JsonAsync()).GetProperty("id").GetGuid()}/apply");

        await Api.EnsureAsync(applied, HttpStatusCode.Conflict);
        Assert.Contains("resourceQuota.databases = 1", (await applied.JsonAsync()).GetProperty("detail").GetString());
        Assert.Single(portal.DeploymentsOf(portal.EnvironmentId(app, "staging")));   // only its first one: nothing queued
    }

    [Fact]
    public async Task A_new_environment_that_would_get_the_apps_database_over_the_quota_is_refused_and_not_made()
    {
        var className = await CreateClassAsync();
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var planned = await PlanAsync(scenario.Member, app, "dev", className);
        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var (applied, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{(await planned.JsonAsync()).GetProperty("id").GetGuid()}/apply");
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);
        await HoldsDatabaseAsync(portal.EnvironmentId(app, "dev"), className);
        await SetQuotaAsync(scenario, databases: 1);

        var (created, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments", new { name = "qa", stage = "Development", backend = "docker" });

        await Api.EnsureAsync(created, HttpStatusCode.Conflict);
        Assert.Contains("resourceQuota.databases = 1", (await created.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await scenario.Member.GetAsync($"/api/v1/apps/{app}/environments/qa")).StatusCode);

        // Raised by an admin, the same request goes through.
        await SetQuotaAsync(scenario, databases: 2);
        var (again, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments", new { name = "qa", stage = "Development", backend = "docker" });
        await Api.EnsureAsync(again, HttpStatusCode.Created);
    }

    private async Task SetQuotaAsync(TeamScenario scenario, int databases)
    {
        var (set, _) = await portal.AdminClient().CallAsync(HttpMethod.Patch, $"/api/v1/teams/{scenario.TeamName}", new { resourceQuota = new { databases } });
        await Api.EnsureAsync(set, HttpStatusCode.OK);
    }

    private async Task<string> CreateClassAsync()
    {
        var name = Unique.Name("pg");
        var (created, _) = await portal.AdminClient().CallAsync(HttpMethod.Post, "/api/v1/resource-classes", new
        {
            type = "postgres", name,
            values = new Dictionary<string, string> { ["host"] = "db.internal", ["port"] = "5432", ["username"] = "paddock_provisioner", ["database"] = "postgres" },
        });
        await Api.EnsureAsync(created, HttpStatusCode.Created);
        return name;
    }

    /// <summary>The environment holds a ready database <c>db</c>, as the worker records one.</summary>
    private Task HoldsDatabaseAsync(Guid environmentId, string className) => portal.WithDbAsync(async db =>
    {
        var resourceId = $"postgres.{className}#web.db";
        var row = new EnvironmentResource(environmentId, "db", "postgres", className, resourceId, ResourceUid.For(environmentId, resourceId), 0, DateTime.UtcNow);
        row.Ready(new Dictionary<string, string> { ["host"] = "db.internal" }, new Dictionary<string, string>(), null, DateTime.UtcNow);
        db.EnvironmentResources.Add(row);
        return await db.SaveChangesAsync();
    });

    private static Task<HttpResponseMessage> PlanAsync(HttpClient client, string app, string env, string className) =>
        client.PostAsync($"{EnvironmentPath(app, env)}/plans", new StringContent(
            $"""
            apiVersion: score.dev/v1b1
            metadata:
              name: {app}
            service:
              ports:
                web:
                  port: 8080
            containers:
              {app}:
                image: registry.example.com/shop/web:1.0
                variables:
                  DATABASE_URL: ${"{"}resources.db.url{"}"}
            resources:
              db:
                type: postgres
                class: {className}
            """, Encoding.UTF8, "application/yaml"));
}
