using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Catalog;

/// <summary>The catalog's API on a real database: the built-in catalog to read, and a catalog of the test's own (a
/// folder it writes, one version and then the next) to install and upgrade. No worker runs here: an applied plan's
/// deployment stays Queued.</summary>
public sealed class CatalogApiTests(PortalFixture portal) : IClassFixture<PortalFixture>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("paddock-catalog-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Anyone_signed_in_reads_the_built_in_catalog_with_each_entrys_parameters()
    {
        var scenario = await TeamScenario.CreateAsync(portal);

        var listed = await (await scenario.Viewer.GetAsync("/api/v1/catalog")).JsonAsync();

        var ids = listed.EnumerateArray().Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "mediawiki", "wordpress", "gitea", "grafana", "uptime-kuma", "n8n" }, ids.ToHashSet());
        var wiki = listed.EnumerateArray().Single(e => e.GetProperty("id").GetString() == "mediawiki");
        Assert.Equal("1.39.10", wiki.GetProperty("version").GetString());
        var password = wiki.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("id").GetString() == "MEDIAWIKI_ADMIN_PASSWORD");
        Assert.True(password.GetProperty("generated").GetBoolean());
        Assert.False(wiki.TryGetProperty("workload", out _)); // only in the answer for one entry (nulls are left out)

        var one = await (await scenario.Viewer.GetAsync("/api/v1/catalog/mediawiki")).JsonAsync();
        Assert.Contains("type: postgres", one.GetProperty("workload").GetString());
        var icon = await scenario.Viewer.GetAsync(one.GetProperty("iconUrl").GetString());
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await scenario.Viewer.GetAsync("/api/v1/catalog/no-such-entry")).StatusCode);
    }

    [Fact]
    public async Task Installing_plans_the_containers_and_every_resource_and_applying_that_plan_installs_the_entry()
    {
        await EnsureDefaultPostgresClassAsync();
        WriteEntry("1.0", "localhost/paddock-demo:1", "");
        var catalog = Portal(_folder);
        var scenario = await TeamScenario.CreateAsync(portal);
        var member = Client(catalog, scenario.Member);
        var app = Unique.Name("demo");

        var (response, call) = await member.CallAsync(HttpMethod.Post, "/api/v1/catalog/demo/install",
            new { team = scenario.TeamName, app, environment = "prod", parameters = new Dictionary<string, string> { ["GREETING"] = "hello" } });

        await Api.EnsureAsync(response, HttpStatusCode.Created);
        var plan = await response.JsonAsync();
        Assert.Equal($"/api/v1/plans/{plan.GetProperty("id").GetGuid()}", response.Headers.Location?.OriginalString);
        Assert.Equal("Plan: 3 to add, 0 to change, 0 to destroy", plan.GetProperty("summary").GetString());
        Assert.Contains(("db", "Create"), plan.GetProperty("resources").EnumerateArray().Select(r => (r.GetProperty("name").GetString(), r.GetProperty("action").GetString())));
        Assert.Contains("hello", plan.GetProperty("text").GetString());
        // The app and the environment are made by their own services; the environment waits for the plan.
        // One transaction, one instant: their order within it is not the point.
        Assert.Equal(["app.created", "catalog.install_planned", "environment.created", "plan.created", "workload.revision_created"],
            portal.AuditOf(call).Select(e => e.Action).Order(StringComparer.Ordinal));
        var envId = portal.EnvironmentId(app, "prod");
        Assert.Empty(portal.DeploymentsOf(envId));
        // The generated secret is an app secret, encrypted, never in an answer.
        var appView = await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}")).JsonAsync();
        Assert.Equal(["DEMO_KEY"], appView.GetProperty("secrets").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Empty((await (await member.GetAsync($"/api/v1/apps/{app}/catalog")).JsonAsync()).EnumerateArray());

        var (applied, _) = await member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply");
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);

        var deployment = Assert.Single(portal.DeploymentsOf(envId));
        Assert.Equal("localhost/paddock-demo:1", deployment.Snapshot.Image);
        Assert.Equal("postgres", Assert.Single(deployment.Snapshot.Resources!).Type);
        var installed = Assert.Single((await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/catalog")).JsonAsync()).EnumerateArray());
        Assert.Equal(("prod", "demo", "1.0"), (installed.GetProperty("environment").GetString(), installed.GetProperty("entry").GetString(), installed.GetProperty("version").GetString()));
        Assert.False(installed.TryGetProperty("upgradeTo", out _));
    }

    [Fact]
    public async Task With_apply_the_install_answers_202_with_the_queued_deployment()
    {
        WriteEntry("1.0", "localhost/paddock-demo:1", "");
        var catalog = Portal(_folder);
        var scenario = await TeamScenario.CreateAsync(portal);
        await EnsureDefaultPostgresClassAsync();
        var app = Unique.Name("demo");

        var (response, _) = await Client(catalog, scenario.Member).CallAsync(HttpMethod.Post, "/api/v1/catalog/demo/install",
            new { team = scenario.TeamName, app, environment = "prod", apply = true });

        await Api.EnsureAsync(response, HttpStatusCode.Accepted);
        var deployment = await response.JsonAsync();
        Assert.Equal("Queued", deployment.GetProperty("status").GetString());
        Assert.Equal(deployment.GetProperty("id").GetGuid(), Assert.Single(portal.DeploymentsOf(portal.EnvironmentId(app, "prod"))).Id);
    }

    [Fact]
    public async Task Bad_parameters_and_names_answer_422_naming_each_field_and_make_nothing()
    {
        WriteEntry("1.0", "localhost/paddock-demo:1", "");
        var catalog = Portal(_folder);
        var scenario = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("demo");

        var (response, _) = await Client(catalog, scenario.Member).CallAsync(HttpMethod.Post, "/api/v1/catalog/demo/install",
            new { team = scenario.TeamName, app, environment = "Not A Name", parameters = new Dictionary<string, string> { ["GREETING"] = "has spaces!", ["DEMO_KEY"] = "mine", ["OTHER"] = "x" } });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal(["environment", "parameters.DEMO_KEY", "parameters.GREETING", "parameters.OTHER"],
            // The API's JSON camel-cases dictionary keys (DEMO_KEY comes out as demO_KEY), as for every problem's errors.
            problem.GetProperty("errors").EnumerateObject().Select(p => p.Name.ToUpperInvariant().Replace("PARAMETERS.", "parameters.").Replace("ENVIRONMENT", "environment")).Order());
        Assert.Equal(HttpStatusCode.NotFound, (await scenario.Member.GetAsync($"/api/v1/apps/{app}")).StatusCode);
    }

    [Fact]
    public async Task Upgrading_to_a_newer_version_plans_the_differences_and_keeps_the_generated_secret_and_the_values_given()
    {
        await EnsureDefaultPostgresClassAsync();
        WriteEntry("1.0", "localhost/paddock-demo:1", "");
        var v1 = Portal(_folder);
        var scenario = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("demo");
        var (installed, _) = await Client(v1, scenario.Member).CallAsync(HttpMethod.Post, "/api/v1/catalog/demo/install",
            new { team = scenario.TeamName, app, environment = "prod", parameters = new Dictionary<string, string> { ["GREETING"] = "hello" }, apply = true });
        await Api.EnsureAsync(installed, HttpStatusCode.Accepted);
        await portal.MarkSucceededAsync((await installed.JsonAsync()).GetProperty("id").GetGuid());
        var secretVersions = SecretVersionsOf("DEMO_KEY");

        var next = Directory.CreateTempSubdirectory("paddock-catalog-").FullName;
        WriteEntry("1.1", "localhost/paddock-demo:2", "      MODE: fast\n", next);
        var v2 = Portal(next);
        var member = Client(v2, scenario.Member);
        var listed = Assert.Single((await (await member.GetAsync($"/api/v1/apps/{app}/catalog")).JsonAsync()).EnumerateArray());
        Assert.Equal(("1.0", "1.1"), (listed.GetProperty("version").GetString(), listed.GetProperty("upgradeTo").GetString()));

        var (upgrade, call) = await member.CallAsync(HttpMethod.Post, "/api/v1/catalog/demo/install",
            new { team = scenario.TeamName, app, environment = "prod" });

        await Api.EnsureAsync(upgrade, HttpStatusCode.Created);
        var plan = await upgrade.JsonAsync();
        Assert.Equal("Plan: 0 to add, 1 to change, 0 to destroy", plan.GetProperty("summary").GetString());
        var container = Assert.Single(plan.GetProperty("containers").EnumerateArray());
        var image = container.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("field").GetString() == "image");
        Assert.Equal(("localhost/paddock-demo:1", "localhost/paddock-demo:2"), (image.GetProperty("before").GetString(), image.GetProperty("after").GetString()));
        // DATABASE_URL is listed too: the planner compares the running snapshot's resolved output with "known after apply".
        Assert.Contains("MODE", container.GetProperty("variables").EnumerateArray().Select(v => v.GetProperty("name").GetString()));
        Assert.Equal(["catalog.install_planned", "plan.created"], portal.AuditOf(call).Select(e => e.Action).Order(StringComparer.Ordinal));
        Assert.Equal(secretVersions, SecretVersionsOf("DEMO_KEY"));

        var (applied, _) = await member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply");
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);
        var upgraded = Assert.Single((await (await member.GetAsync($"/api/v1/apps/{app}/catalog")).JsonAsync()).EnumerateArray());
        Assert.Equal("1.1", upgraded.GetProperty("version").GetString());
        Assert.False(upgraded.TryGetProperty("upgradeTo", out _));
        Directory.Delete(next, recursive: true);
    }

    [Fact]
    public async Task An_environment_that_runs_something_else_is_not_installed_into()
    {
        WriteEntry("1.0", "localhost/paddock-demo:1", "");
        var catalog = Portal(_folder);
        var (scenario, app) = await portal.AppWithEnvironmentAsync();

        var (response, _) = await Client(catalog, scenario.Member).CallAsync(HttpMethod.Post, "/api/v1/catalog/demo/install",
            new { team = scenario.TeamName, app, environment = "dev" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("was not installed from the catalog", await response.Content.ReadAsStringAsync());
    }

    /// <summary>Writes a catalog entry <c>demo</c> (a postgres resource, a parameter and a generated secret).</summary>
    private void WriteEntry(string version, string image, string extraVariables, string? folder = null)
    {
        var entry = Directory.CreateDirectory(Path.Combine(folder ?? _folder, "demo")).FullName;
        File.WriteAllText(Path.Combine(entry, "entry.yaml"), $"""
            id: demo
            name: Demo
            version: "{version}"
            description: A test entry.
            images:
              web: {image}
            parameters:
              - id: GREETING
                label: Greeting
                default: hi
                pattern: '[a-z]+'
              - id: DEMO_KEY
                label: Key
                generate: secret
            """);
        File.WriteAllText(Path.Combine(entry, "score.yaml"), """
            apiVersion: score.dev/v1b1
            metadata:
              name: demo
            containers:
              demo:
                image: "${images.web}"
                variables:
                  GREETING: "${parameters.GREETING}"
                  DEMO_KEY: ${resources.env.DEMO_KEY}
                  DATABASE_URL: ${resources.db.url}
            """ + "\n" + extraVariables + """
            service:
              ports:
                web:
                  port: 8080
            resources:
              env:
                type: environment
              db:
                type: postgres

            """);
    }

    /// <summary>The same portal and database, reading its catalog from <paramref name="folder"/>.</summary>
    private WebApplicationFactory<Program> Portal(string folder) =>
        portal.WithWebHostBuilder(b => b.UseSetting("Paddock:Catalog:Path", folder));

    private static HttpClient Client(WebApplicationFactory<Program> factory, HttpClient like)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = like.DefaultRequestHeaders.Authorization;
        return client;
    }

    private List<int> SecretVersionsOf(string name) =>
        portal.WithDb(db => db.SecretVersions.Where(s => s.Name == name).Select(s => s.Version).ToList());

    /// <summary>The class a workload's resource gets when it names none.</summary>
    private async Task EnsureDefaultPostgresClassAsync()
    {
        if (portal.WithDb(db => db.ResourceClasses.Any(c => c.Type == "postgres" && c.Name == "default"))) return;
        var (response, _) = await portal.AdminClient().CallAsync(HttpMethod.Post, "/api/v1/resource-classes", new
        {
            type = "postgres", name = "default",
            values = new Dictionary<string, string> { ["host"] = "db.internal", ["port"] = "5432", ["username"] = "paddock_provisioner", ["database"] = "postgres" },
        });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await response.Content.ReadAsStringAsync());
    }
}
