using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;
using Paddock.Domain.Workloads;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Workloads;

/// <summary>Workload history, diff, environments running different revisions, per-environment override files, the
/// export round trip and apps from before revisions were kept, through the API on a real database. No worker runs
/// here: a deployment that "ran" is marked succeeded the way the worker marks it.</summary>
public sealed class RevisionsApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string Image1 = "registry.example.com/shop/web:1.0";
    private const string Image2 = "registry.example.com/shop/web:2.0";

    private static string Workload(string app, string image = Image2, string variables = "") =>
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
            image: {image}
            readinessProbe:
              httpGet:
                port: 8080
                path: /

        """ + variables;

    [Fact]
    public async Task Every_workload_change_is_a_revision_with_who_when_and_its_text_newest_first_and_paged()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("app");
        var (created, createCall) = await scenario.Member.CallAsync(HttpMethod.Post, "/api/v1/apps", scenario.AppBody(app));
        await Api.EnsureAsync(created, HttpStatusCode.Created);
        Assert.Equal(["app.created", "workload.revision_created"], portal.AuditOf(createCall).Select(e => e.Action).Order());
        // The form's edit of something the workload says is its next revision; a description is not in the workload.
        var (edited, editCall) = await scenario.Member.CallAsync(HttpMethod.Patch, $"/api/v1/apps/{app}", new { image = "registry.example.com/shop/web:1.1" });
        await Api.EnsureAsync(edited, HttpStatusCode.OK);
        Assert.Equal(["app.updated", "workload.revision_created"], portal.AuditOf(editCall).Select(e => e.Action).Order());
        var (described, describeCall) = await scenario.Member.CallAsync(HttpMethod.Patch, $"/api/v1/apps/{app}", new { description = "The shop" });
        await Api.EnsureAsync(described, HttpStatusCode.OK);
        Assert.Equal(["app.updated"], portal.AuditOf(describeCall).Select(e => e.Action));
        await scenario.CreateEnvironmentAsync(app, "dev");
        var submitted = Workload(app, variables: "    variables:\n      LOG_LEVEL: debug\n");
        await ApplyAsync(scenario.Member, app, "dev", submitted);

        var page = await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/workload/revisions")).JsonAsync();
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([(3, "Submitted"), (2, "Settings"), (1, "Settings")],
            items.Select(i => (i.GetProperty("number").GetInt32(), i.GetProperty("origin").GetString())));
        Assert.All(items, i => Assert.Equal(scenario.MemberName, i.GetProperty("createdBy").GetProperty("name").GetString()));
        Assert.All(items, i => Assert.StartsWith("sha256:", i.GetProperty("contentHash").GetString()));
        Assert.All(items, i => Assert.False(i.TryGetProperty("text", out _)));
        var second = await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/workload/revisions?pageSize=2&page=2")).JsonAsync();
        Assert.Equal(1, Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("number").GetInt32());
        Assert.False(second.TryGetProperty("nextPage", out _));
        await Api.EnsureAsync(await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/workload/revisions?pageSize=0"), HttpStatusCode.BadRequest);

        var one = await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/workload/revisions/3")).JsonAsync();
        Assert.Equal(submitted, one.GetProperty("text").GetString());
        Assert.Equal(items[0].GetProperty("contentHash").GetString(), one.GetProperty("contentHash").GetString());
        var asYaml = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/apps/{app}/workload/revisions/3");
        asYaml.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/yaml"));
        var yaml = await scenario.Viewer.SendAsync(asYaml);
        await Api.EnsureAsync(yaml, HttpStatusCode.OK);
        Assert.Equal("application/yaml", yaml.Content.Headers.ContentType?.MediaType);
        Assert.Equal(submitted, await yaml.Content.ReadAsStringAsync());
        var drawn = await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/workload/revisions/2")).JsonAsync();
        Assert.Contains("image: registry.example.com/shop/web:1.1", drawn.GetProperty("text").GetString());
        await Api.EnsureAsync(await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/workload/revisions/9"), HttpStatusCode.NotFound);
        var (_, outsiderToken) = await portal.CreateUserAsync(Unique.Email("outsider"));
        await Api.EnsureAsync(await portal.ClientWithToken(outsiderToken).GetAsync($"/api/v1/apps/{app}/workload/revisions"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_diff_of_two_revisions_has_the_planners_items_and_a_unified_text_diff()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b => b["secrets"] = new Dictionary<string, string> { ["API_KEY"] = "secret-value-1" });
        await ApplyAsync(scenario.Member, app, "dev",
            Workload(app, variables: "    variables:\n      API_KEY: ${resources.env.API_KEY}\n      LOG_LEVEL: debug\nresources:\n  env:\n    type: environment\n"));

        var diff = await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/workload/revisions/1/diff/2")).JsonAsync();

        Assert.Equal((1, 2), (diff.GetProperty("from").GetInt32(), diff.GetProperty("to").GetInt32()));
        Assert.Equal("Plan: 0 to add, 1 to change, 0 to destroy", diff.GetProperty("summary").GetString());
        var container = Assert.Single(diff.GetProperty("containers").EnumerateArray());
        var image = Assert.Single(container.GetProperty("changes").EnumerateArray());
        Assert.Equal(("image", Image1, Image2), (image.GetProperty("field").GetString(), image.GetProperty("before").GetString(), image.GetProperty("after").GetString()));
        // The secret is referenced by both: unchanged, so not an item; the new plain variable is.
        var variable = Assert.Single(container.GetProperty("variables").EnumerateArray());
        Assert.Equal(("LOG_LEVEL", "Added"), (variable.GetProperty("name").GetString(), variable.GetProperty("kind").GetString()));
        Assert.Contains("~ container " + app, diff.GetProperty("planText").GetString());
        var textDiff = diff.GetProperty("textDiff").GetString()!;
        Assert.StartsWith("--- revision 1\n+++ revision 2\n@@ ", textDiff);
        Assert.Contains($"\n-    image: {Image1}\n", textDiff);
        Assert.Contains($"\n+    image: {Image2}\n", textDiff);
        Assert.Contains("\n+      LOG_LEVEL: debug\n", textDiff);
        Assert.DoesNotContain("secret-value", diff.GetRawText());

        var back = await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/workload/revisions/2/diff/1")).JsonAsync();
        Assert.Equal("Removed", Assert.Single(Assert.Single(back.GetProperty("containers").EnumerateArray()).GetProperty("variables").EnumerateArray())
            .GetProperty("kind").GetString());
        var same = await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/workload/revisions/2/diff/2")).JsonAsync();
        Assert.Equal(("Plan: 0 to add, 0 to change, 0 to destroy", ""), (same.GetProperty("summary").GetString(), same.GetProperty("textDiff").GetString()));
        await Api.EnsureAsync(await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/workload/revisions/1/diff/7"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Staging_runs_a_newer_revision_than_production_until_someone_deploys_it_there()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(env: "staging");
        await scenario.CreateEnvironmentAsync(app, "prod", new { name = "prod", stage = "Production", backend = "docker" });
        var (stagingId, prodId) = (portal.EnvironmentId(app, "staging"), portal.EnvironmentId(app, "prod"));
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(stagingId)).Id);
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(prodId)).Id);
        Assert.Equal((1, 1), await RevisionsOfAsync(scenario, app, "prod"));

        var applied = await ApplyAsync(scenario.Member, app, "staging", Workload(app));
        await portal.MarkSucceededAsync(applied);

        Assert.Equal((2, 2), await RevisionsOfAsync(scenario, app, "staging"));
        Assert.Equal((1, 2), await RevisionsOfAsync(scenario, app, "prod"));
        var prod = await (await scenario.Viewer.GetAsync(EnvironmentPath(app, "prod"))).JsonAsync();
        Assert.Equal("OutOfSync", prod.GetProperty("sync").GetString());
        var listed = await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/environments")).JsonAsync();
        Assert.Equal([("prod", 1), ("staging", 2)], listed.EnumerateArray().Select(e => (e.GetProperty("name").GetString(), e.GetProperty("workloadRevision").GetInt32())));
        // Production's export is what production runs: revision 1, the old image.
        var exported = await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "prod")}/workload");
        Assert.Equal("1", exported.Headers.GetValues("X-Paddock-Workload-Revision").Single());
        Assert.Contains($"image: {Image1}", await exported.Content.ReadAsStringAsync());

        var deployed = await scenario.Member.PostAsJsonAsync($"{EnvironmentPath(app, "prod")}/deployments", new { message = "promote" });
        await Api.EnsureAsync(deployed, HttpStatusCode.Accepted);
        var deployment = await deployed.JsonAsync();
        Assert.Equal(Image2, deployment.GetProperty("image").GetString());
        await portal.MarkSucceededAsync(deployment.GetProperty("id").GetGuid());
        Assert.Equal((2, 2), await RevisionsOfAsync(scenario, app, "prod"));
    }

    [Fact]
    public async Task An_environments_override_file_is_read_and_replaced_and_the_next_plan_shows_it()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b => b["env"] = new Dictionary<string, string> { ["REGION"] = "eu" },
            environment: new { name = "dev", stage = "Development", backend = "docker", env = new Dictionary<string, string> { ["OLD"] = "1" } });
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);
        var before = await GetOverrideAsync(scenario.Viewer, app, "dev");
        var beforeText = await before.Content.ReadAsStringAsync();
        Assert.StartsWith($"containers:\n  {app}:\n    variables:\n      OLD: ", beforeText);
        Assert.DoesNotContain("replicas", beforeText);

        var file = $"replicas: 3\ncontainers:\n  {app}:\n    image: {Image2}\n    variables:\n      LOG_LEVEL: debug\n";
        var (put, putCall) = await PutOverrideAsync(scenario.Member, app, "dev", file);

        await Api.EnsureAsync(put, HttpStatusCode.OK);
        Assert.Equal($"containers:\n  {app}:\n    image: {Image2}\n    variables:\n      LOG_LEVEL: debug\nreplicas: 3\n", await put.Content.ReadAsStringAsync());
        Assert.Equal(["environment.updated"], portal.AuditOf(putCall).Select(e => e.Action));
        var env = await (await scenario.Viewer.GetAsync(EnvironmentPath(app, "dev"))).JsonAsync();
        var overrides = env.GetProperty("overrides");
        Assert.Equal((Image2, 3), (overrides.GetProperty("image").GetString(), overrides.GetProperty("replicas").GetInt32()));
        Assert.Equal(["LOG_LEVEL"], overrides.GetProperty("env").EnumerateObject().Select(p => p.Name));
        Assert.Equal("OutOfSync", env.GetProperty("sync").GetString());
        var asJson = new HttpRequestMessage(HttpMethod.Get, $"{EnvironmentPath(app, "dev")}/workload/override");
        asJson.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var json = JsonDocument.Parse(await (await scenario.Viewer.SendAsync(asJson)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(3, json.GetProperty("replicas").GetInt32());

        var (planned, _) = await PlanAsync(scenario.Member, app, "dev", "");
        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var plan = await planned.JsonAsync();
        var text = plan.GetProperty("text").GetString()!;
        Assert.Contains(Image2, text);
        Assert.Contains("LOG_LEVEL", text);
        Assert.Contains(plan.GetProperty("workloadChanges").EnumerateArray(), c => c.GetProperty("field").GetString() == "replicas");

        // An ETag read before the change is stale now.
        var (stale, _) = await PutOverrideAsync(scenario.Member, app, "dev", "{}", before.Headers.ETag!.ToString());
        await Api.EnsureAsync(stale, HttpStatusCode.PreconditionFailed);
        var (viewer, _) = await PutOverrideAsync(scenario.Viewer, app, "dev", "{}");
        await Api.EnsureAsync(viewer, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_invalid_override_answers_422_with_every_error_at_its_line_and_changes_nothing()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var file = $"replicas: 2\ncontainers:\n  sidecar:\n    image: x:1\n  {app}:\n    variables:\n      GONE: null\n    secrets:\n      A: b\n";

        var (response, _) = await PutOverrideAsync(scenario.Member, app, "dev", file);

        await Api.EnsureAsync(response, HttpStatusCode.UnprocessableEntity);
        var errors = (await response.JsonAsync()).GetProperty("workloadErrors").EnumerateArray()
            .Select(e => (e.GetProperty("pointer").GetString(), e.GetProperty("line").GetInt32())).ToList();
        Assert.Contains(($"/containers/{app}/secrets", 8), errors);
        var (second, _) = await PutOverrideAsync(scenario.Member, app, "dev", file.Replace("    secrets:\n      A: b\n", ""));
        await Api.EnsureAsync(second, HttpStatusCode.UnprocessableEntity);
        var secondErrors = (await second.JsonAsync()).GetProperty("workloadErrors").EnumerateArray()
            .Select(e => (e.GetProperty("pointer").GetString(), e.GetProperty("line").GetInt32())).ToList();
        Assert.Equal([($"/containers/{app}/variables/GONE", 7), ("/containers/sidecar", 3)], secondErrors.Order());
        var (badImage, _) = await PutOverrideAsync(scenario.Member, app, "dev", $"containers:\n  {app}:\n    image: \"Not An Image\"\n");
        await Api.EnsureAsync(badImage, HttpStatusCode.UnprocessableEntity);
        Assert.Equal($"/containers/{app}/image", Assert.Single((await badImage.JsonAsync()).GetProperty("workloadErrors").EnumerateArray()).GetProperty("pointer").GetString());
        var env = await (await scenario.Viewer.GetAsync(EnvironmentPath(app, "dev"))).JsonAsync();
        Assert.False(env.GetProperty("overrides").TryGetProperty("replicas", out _));
    }

    [Fact]
    public async Task Exporting_an_environment_and_importing_its_workload_and_override_again_plans_nothing()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(env: "prod",
            app: b =>
            {
                b["env"] = new Dictionary<string, string> { ["PRICE"] = "5$", ["REGION"] = "eu" };
                b["secrets"] = new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter2-app-secret" };
            },
            environment: new
            {
                name = "prod", stage = "Production", backend = "docker", image = Image2, replicas = 2,
                env = new Dictionary<string, string> { ["REGION"] = "us" },
                secrets = new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter3-env-secret" },
            });
        var envId = portal.EnvironmentId(app, "prod");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);

        var workload = await (await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "prod")}/workload")).Content.ReadAsStringAsync();
        var exportedOverride = await GetOverrideAsync(scenario.Viewer, app, "prod");
        var overrideText = await exportedOverride.Content.ReadAsStringAsync();
        Assert.Contains("replicas: 2", overrideText);
        Assert.Contains($"image: {Image2}", overrideText);
        Assert.DoesNotContain("hunter", workload + overrideText);

        var (put, _) = await PutOverrideAsync(scenario.Member, app, "prod", overrideText);
        await Api.EnsureAsync(put, HttpStatusCode.OK);
        var (planned, _) = await PlanAsync(scenario.Member, app, "prod", workload);
        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var plan = await planned.JsonAsync();
        Assert.Equal("Plan: 0 to add, 0 to change, 0 to destroy", plan.GetProperty("summary").GetString());
        Assert.Empty(plan.GetProperty("workloadChanges").EnumerateArray());

        // The same files into a fresh environment of the app reproduce it: applied and run, that one plans nothing too.
        await scenario.CreateEnvironmentAsync(app, "copy");
        var copyId = portal.EnvironmentId(app, "copy");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(copyId)).Id);
        await Api.EnsureAsync((await PutOverrideAsync(scenario.Member, app, "copy", overrideText)).Response, HttpStatusCode.OK);
        var applied = await ApplyAsync(scenario.Member, app, "copy", workload);
        await portal.MarkSucceededAsync(applied);
        var copied = portal.DeploymentsOf(copyId).Last().Snapshot;
        var original = portal.DeploymentsOf(envId).Last().Snapshot;
        Assert.Equal((original.Image, original.Replicas), (copied.Image, copied.Replicas));
        Assert.Equal(original.Variables.ToList(), copied.Variables.ToList());
        var (again, _) = await PlanAsync(scenario.Member, app, "copy", await (await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "copy")}/workload")).Content.ReadAsStringAsync());
        Assert.Equal("Plan: 0 to add, 0 to change, 0 to destroy", (await again.JsonAsync()).GetProperty("summary").GetString());
    }

    [Fact]
    public async Task An_app_from_before_revisions_keeps_its_deployments_and_gets_revision_one_from_its_settings_when_first_needed()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("old");
        // Rows as the releases before workload revisions wrote them: an app, its environment and a deployment that ran.
        var envId = await portal.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var application = new Application(AppName.Parse(app), scenario.Team.Id, Image1, 8080, now);
            application.Variables = new Dictionary<string, string> { ["REGION"] = "eu" };
            var env = new AppEnvironment(application, EnvironmentName.Parse("dev"), Stage.Development, "docker", "before", now);
            db.Applications.Add(application);
            db.Environments.Add(env);
            db.Deployments.Add(new Deployment(env.Id, application.Id, env.NextRevision(), DeploymentSnapshot.Of(application, env, []), "before", "before",
                null, "from an older release", null, null, now));
            await db.SaveChangesAsync();
            return env.Id;
        });
        var old = Assert.Single(portal.DeploymentsOf(envId));
        await portal.MarkSucceededAsync(old.Id);
        Assert.Null(old.WorkloadRevisionId);
        Assert.Equal(0, (await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/workload/revisions")).JsonAsync()).GetProperty("total").GetInt32());
        Assert.Equal(((int?)null, (int?)null), await RevisionsOfAsync(scenario, app, "dev"));
        // Reading it as a workload writes nothing; it is drawn from the settings.
        var exported = await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "dev")}/workload");
        Assert.Contains("REGION: eu", await exported.Content.ReadAsStringAsync());
        Assert.Equal(0, portal.WithDb(db => db.WorkloadRevisions.Count(r => r.ApplicationId == old.ApplicationId)));

        var (deployed, call) = await scenario.Member.CallAsync(HttpMethod.Post, $"{EnvironmentPath(app, "dev")}/deployments", new { message = "first since the upgrade" });

        await Api.EnsureAsync(deployed, HttpStatusCode.Accepted);
        Assert.Equal(["deployment.queued", "workload.revision_created"], portal.AuditOf(call).Select(e => e.Action).Order());
        var revision = portal.WithDb(db => db.WorkloadRevisions.AsNoTracking().Single(r => r.ApplicationId == old.ApplicationId));
        Assert.Equal((1, RevisionOrigin.Settings), (revision.Number, revision.Origin));
        var deployments = portal.DeploymentsOf(envId);
        Assert.Equal([(1, (Guid?)null), (2, revision.Id)], deployments.Select(d => (d.Revision, d.WorkloadRevisionId)));
        Assert.Equal(old.Snapshot.Variables.ToList(), deployments[0].Snapshot.Variables.ToList());
        var history = await (await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "dev")}/deployments")).JsonAsync();
        Assert.Equal(2, history.GetProperty("total").GetInt32());
        await portal.MarkSucceededAsync(deployments[1].Id);
        Assert.Equal((1, 1), await RevisionsOfAsync(scenario, app, "dev"));
        var (planned, _) = await PlanAsync(scenario.Member, app, "dev", "");
        var plan = await planned.JsonAsync();
        Assert.Equal((revision.ContentHash, "Plan: 0 to add, 0 to change, 0 to destroy"),
            (plan.GetProperty("contentHash").GetString(), plan.GetProperty("summary").GetString()));
    }

    private async Task<(int? Runs, int? Latest)> RevisionsOfAsync(TeamScenario scenario, string app, string env)
    {
        var view = await (await scenario.Viewer.GetAsync(EnvironmentPath(app, env))).JsonAsync();
        // The API leaves null properties out.
        int? Number(string name) => view.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null ? e.GetInt32() : null;
        return (Number("workloadRevision"), Number("latestWorkloadRevision"));
    }

    /// <summary>Plans the file and applies the plan; returns the deployment it queued.</summary>
    private static async Task<Guid> ApplyAsync(HttpClient client, string app, string env, string text)
    {
        var (planned, _) = await PlanAsync(client, app, env, text);
        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var applied = await client.PostAsync($"/api/v1/plans/{(await planned.JsonAsync()).GetProperty("id").GetGuid()}/apply", null);
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);
        return (await applied.JsonAsync()).GetProperty("id").GetGuid();
    }

    private static async Task<(HttpResponseMessage Response, string CorrelationId)> PlanAsync(HttpClient client, string app, string env, string text) =>
        await SendFileAsync(client, HttpMethod.Post, $"{EnvironmentPath(app, env)}/plans", text);

    private static async Task<(HttpResponseMessage Response, string CorrelationId)> PutOverrideAsync(
        HttpClient client, string app, string env, string text, string? ifMatch = null) =>
        await SendFileAsync(client, HttpMethod.Put, $"{EnvironmentPath(app, env)}/workload/override", text, ifMatch);

    private static async Task<HttpResponseMessage> GetOverrideAsync(HttpClient client, string app, string env)
    {
        var response = await client.GetAsync($"{EnvironmentPath(app, env)}/workload/override");
        await Api.EnsureAsync(response, HttpStatusCode.OK);
        Assert.Equal("application/yaml", response.Content.Headers.ContentType?.MediaType);
        return response;
    }

    private static async Task<(HttpResponseMessage Response, string CorrelationId)> SendFileAsync(
        HttpClient client, HttpMethod method, string url, string text, string? ifMatch = null)
    {
        var correlationId = Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(method, url) { Content = new StringContent(text, Encoding.UTF8, "application/yaml") };
        request.Headers.Add("X-Correlation-Id", correlationId);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return (await client.SendAsync(request), correlationId);
    }
}
