using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Resources;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Resources;

/// <summary>Resource classes and workloads that declare resources, through the API on a real database (no worker
/// runs here: an applied plan's deployment stays Queued with its snapshot).</summary>
public sealed class ResourcesApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["host"] = "db.internal", ["port"] = "5432", ["username"] = "paddock_provisioner", ["database"] = "postgres",
    };

    [Fact]
    public async Task An_admin_registers_a_class_whose_secret_is_stored_encrypted_and_never_answered()
    {
        var name = Unique.Name("shared");
        var admin = portal.AdminClient();

        var (created, call) = await admin.CallAsync(HttpMethod.Post, "/api/v1/resource-classes",
            new { type = "postgres", name, values = Values, secrets = new Dictionary<string, string> { ["password"] = "s3cret-admin-pw" } });

        await Api.EnsureAsync(created, HttpStatusCode.Created);
        var view = await created.JsonAsync();
        Assert.Equal($"/api/v1/resource-classes/postgres/{name}", created.Headers.Location?.OriginalString);
        Assert.Equal("db.internal", view.GetProperty("values").GetProperty("host").GetString());
        Assert.Equal(["password"], view.GetProperty("secrets").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(["resource_class.created"], portal.AuditOf(call).Select(e => e.Action));
        var listed = await (await admin.GetAsync("/api/v1/resource-classes")).Content.ReadAsStringAsync();
        Assert.Contains(name, listed);
        Assert.DoesNotContain("s3cret-admin-pw", listed);
        Assert.DoesNotContain("s3cret-admin-pw", await portal.RawTableTextAsync("resource_classes"));
        Assert.DoesNotContain("s3cret-admin-pw", await portal.RawTableTextAsync("audit_events"));

        var (patched, _) = await admin.CallAsync(HttpMethod.Patch, $"/api/v1/resource-classes/postgres/{name}", new { values = Values.Concat([new("port", "6543")]).GroupBy(v => v.Key).ToDictionary(g => g.Key, g => g.Last().Value) });
        await Api.EnsureAsync(patched, HttpStatusCode.OK);
        var patchedView = await patched.JsonAsync();
        Assert.Equal("6543", patchedView.GetProperty("values").GetProperty("port").GetString());
        Assert.Equal(["password"], patchedView.GetProperty("secrets").EnumerateArray().Select(s => s.GetString()));

        var (deleted, _) = await admin.CallAsync(HttpMethod.Delete, $"/api/v1/resource-classes/postgres/{name}");
        await Api.EnsureAsync(deleted, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/resource-classes/postgres/{name}")).StatusCode);
    }

    [Fact]
    public async Task A_class_with_bad_settings_or_an_unknown_type_is_refused_by_field()
    {
        var (bad, _) = await portal.AdminClient().CallAsync(HttpMethod.Post, "/api/v1/resource-classes",
            new { type = "postgres", name = Unique.Name("bad"), values = new Dictionary<string, string> { ["port"] = "0" } });
        await Api.EnsureAsync(bad, HttpStatusCode.BadRequest);
        Assert.Equal(["values.database", "values.host", "values.port", "values.username"], (await Api.ErrorKeysAsync(bad)).Order());

        var (unknown, _) = await portal.AdminClient().CallAsync(HttpMethod.Post, "/api/v1/resource-classes",
            new { type = "mongodb", name = Unique.Name("x"), values = Values });
        await Api.EnsureAsync(unknown, HttpStatusCode.BadRequest);
        Assert.Equal(["type"], await Api.ErrorKeysAsync(unknown));
    }

    [Fact]
    public async Task A_workload_with_a_postgres_resource_plans_and_applies_into_a_snapshot_that_carries_it_and_lists_it()
    {
        var className = Unique.Name("pg");
        await Api.EnsureAsync((await portal.AdminClient().CallAsync(HttpMethod.Post, "/api/v1/resource-classes",
            new { type = "postgres", name = className, values = Values })).Response, HttpStatusCode.Created);
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");

        var planned = await PlanAsync(scenario.Member, app, Workload(app, $"    class: {className}\n"));
        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var plan = await planned.JsonAsync();
        Assert.Contains("db", plan.GetProperty("text").GetString());
        var (applied, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply");
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);

        var deployment = portal.DeploymentsOf(envId)[^1];
        var resource = Assert.Single(deployment.Snapshot.Resources!);
        Assert.Equal(("db", "postgres", className, $"postgres.{className}#{app}.db"), (resource.Name, resource.Type, resource.Class, resource.ResourceId));
        Assert.Equal("${resources.db.url}", deployment.Snapshot.ResourceVariables!["DATABASE_URL"]);
        Assert.DoesNotContain("DATABASE_URL", deployment.Snapshot.Variables.Keys);

        // A deployment started another way keeps the workload's resources.
        var (redeployed, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"{EnvironmentPath(app, "dev")}/deployments", new { message = "again" });
        await Api.EnsureAsync(redeployed, HttpStatusCode.Accepted);
        Assert.Single(portal.DeploymentsOf(envId)[^1].Snapshot.Resources!);

        // What the worker records is listed, secret outputs masked.
        await portal.WithDbAsync(async db =>
        {
            var row = new EnvironmentResource(envId, "db", "postgres", className, resource.ResourceId, ResourceUid.For(envId, resource.ResourceId), 0, DateTime.UtcNow);
            row.Ready(new Dictionary<string, string> { ["host"] = "db.internal" }, new Dictionary<string, string> { ["password"] = "ciphertext" }, null, DateTime.UtcNow);
            db.EnvironmentResources.Add(row);
            return await db.SaveChangesAsync();
        });
        var listed = await (await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "dev")}/resources")).JsonAsync();
        var item = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("db", "postgres", className, "Ready"), (item.GetProperty("name").GetString(), item.GetProperty("type").GetString(),
            item.GetProperty("class").GetString(), item.GetProperty("status").GetString()));
        Assert.Equal("(secret)", item.GetProperty("outputs").GetProperty("password").GetString());
        Assert.Equal("db.internal", item.GetProperty("outputs").GetProperty("host").GetString());

        // The class holds a resource now: it cannot be deleted.
        var (refused, _) = await portal.AdminClient().CallAsync(HttpMethod.Delete, $"/api/v1/resource-classes/postgres/{className}");
        await Api.EnsureAsync(refused, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task An_edit_through_the_form_or_the_json_api_keeps_the_workloads_resources_and_their_variables()
    {
        var className = Unique.Name("pg");
        await Api.EnsureAsync((await portal.AdminClient().CallAsync(HttpMethod.Post, "/api/v1/resource-classes",
            new { type = "postgres", name = className, values = Values })).Response, HttpStatusCode.Created);
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        var planned = await PlanAsync(scenario.Member, app, Workload(app, $"    class: {className}\n"));
        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        await Api.EnsureAsync((await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{(await planned.JsonAsync()).GetProperty("id").GetGuid()}/apply")).Response,
            HttpStatusCode.Accepted);

        var (edited, _) = await scenario.Member.CallAsync(HttpMethod.Patch, $"/api/v1/apps/{app}", new { image = "registry.example.com/shop/web:1.1" });
        await Api.EnsureAsync(edited, HttpStatusCode.OK);
        var newest = (await (await scenario.Member.GetAsync($"/api/v1/apps/{app}/workload/revisions")).JsonAsync()).GetProperty("items")[0];
        var text = (await (await scenario.Member.GetAsync($"/api/v1/apps/{app}/workload/revisions/{newest.GetProperty("number").GetInt32()}")).JsonAsync())
            .GetProperty("text").GetString();
        Assert.Contains("web:1.1", text);
        Assert.Contains("type: postgres", text);
        Assert.Contains($"class: {className}", text);
        Assert.Contains("resources.db.url", text);

        var (redeployed, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"{EnvironmentPath(app, "dev")}/deployments", new { message = "after the edit" });
        await Api.EnsureAsync(redeployed, HttpStatusCode.Accepted);
        var snapshot = portal.DeploymentsOf(envId)[^1].Snapshot;
        Assert.Equal("registry.example.com/shop/web:1.1", snapshot.Image);
        Assert.Equal("db", Assert.Single(snapshot.Resources!).Name);
        Assert.Equal("${resources.db.url}", snapshot.ResourceVariables!["DATABASE_URL"]);
    }

    [Fact]
    public async Task A_workload_naming_a_class_that_does_not_exist_or_an_unknown_type_is_refused_naming_the_resource()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();

        var noClass = await PlanAsync(scenario.Member, app, Workload(app, "    class: nowhere\n"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noClass.StatusCode);
        var problem = await noClass.JsonAsync();
        var message = Assert.Single(problem.GetProperty("errors").GetProperty("/resources/db/class").EnumerateArray()).GetString();
        Assert.Contains("Resource 'db': there is no postgres class named 'nowhere'", message);

        var unknownType = await PlanAsync(scenario.Member, app, Workload(app, "").Replace("type: postgres", "type: mongodb", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownType.StatusCode);
        Assert.Contains("/resources/db/type", (await unknownType.JsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    private static string Workload(string app, string classLine) =>
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

        """ + classLine;

    private static Task<HttpResponseMessage> PlanAsync(HttpClient client, string app, string text) =>
        client.PostAsync($"{EnvironmentPath(app, "dev")}/plans", new StringContent(text, Encoding.UTF8, "application/yaml"));
}
