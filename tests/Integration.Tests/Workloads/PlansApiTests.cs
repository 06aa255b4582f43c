using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Paddock.Domain.Deployments;
using Paddock.Domain.Tokens;
using Paddock.Domain.Workloads;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Workloads;

/// <summary>Plans and their apply through the API on a real database. No worker runs here: an applied plan's
/// deployment stays Queued, and a deployment that "ran" is marked succeeded the way the worker marks it.</summary>
public sealed class PlansApiTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string Image2 = "registry.example.com/shop/web:2.0";

    /// <summary>The app's own workload as a Score file, one container named after the app (as Paddock names it).</summary>
    private static string Workload(string app, string image = Image2, string variables = "", string readiness = "    readinessProbe:\n      httpGet:\n        port: 8080\n        path: /\n") =>
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

        """ + readiness + variables;

    [Fact]
    public async Task A_plan_shows_the_change_and_applying_it_queues_exactly_that_deployment_with_the_plan_and_revision()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b => b["env"] = new Dictionary<string, string> { ["REGION"] = "eu" });
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);

        var (response, planCall) = await PostWorkloadAsync(scenario.Member, app, "dev",
            Workload(app, variables: "    variables:\n      REGION: eu\n      LOG_LEVEL: debug\n"));

        await Api.EnsureAsync(response, HttpStatusCode.Created);
        var plan = await response.JsonAsync();
        var planId = plan.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/plans/{planId}", response.Headers.Location?.OriginalString);
        Assert.Equal("Plan: 0 to add, 1 to change, 0 to destroy", plan.GetProperty("summary").GetString());
        Assert.StartsWith("sha256:", plan.GetProperty("contentHash").GetString());
        Assert.Equal("Open", plan.GetProperty("status").GetString());
        Assert.Equal(1, plan.GetProperty("baseRevision").GetInt32());
        var container = Assert.Single(plan.GetProperty("containers").EnumerateArray());
        Assert.Equal("Update", container.GetProperty("action").GetString());
        var image = Assert.Single(container.GetProperty("changes").EnumerateArray());
        Assert.Equal(("image", "registry.example.com/shop/web:1.0", Image2),
            (image.GetProperty("field").GetString(), image.GetProperty("before").GetString(), image.GetProperty("after").GetString()));
        var variable = Assert.Single(container.GetProperty("variables").EnumerateArray());
        Assert.Equal(("LOG_LEVEL", "Added", "debug"),
            (variable.GetProperty("name").GetString(), variable.GetProperty("kind").GetString(), variable.GetProperty("after").GetString()));
        Assert.Contains("~ container " + app, plan.GetProperty("text").GetString());
        // The app's revision 1 was drawn from its settings when the form (here the JSON API) created it.
        Assert.Equal(["plan.created"], portal.AuditOf(planCall).Select(e => e.Action));
        // Planning changes nothing yet.
        Assert.Equal("registry.example.com/shop/web:1.0", (await AppAsync(scenario, app)).GetProperty("image").GetString());
        Assert.Single(portal.DeploymentsOf(envId));

        var viewed = await (await scenario.Viewer.GetAsync($"/api/v1/plans/{planId}")).JsonAsync();
        Assert.Equal(plan.GetProperty("summary").GetString(), viewed.GetProperty("summary").GetString());

        var (applied, applyCall) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{planId}/apply");
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);
        var deployment = await applied.JsonAsync();
        var deploymentId = deployment.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/deployments/{deploymentId}", applied.Headers.Location?.OriginalString);
        Assert.Equal((2, "Queued", Image2), (deployment.GetProperty("revision").GetInt32(), deployment.GetProperty("status").GetString(),
            deployment.GetProperty("image").GetString()));
        Assert.Equal(planId, deployment.GetProperty("planId").GetGuid());
        var row = portal.DeploymentsOf(envId)[1];
        Assert.Equal("debug", row.Snapshot.Variables["LOG_LEVEL"]);
        var revisions = portal.WithDb(db => db.WorkloadRevisions.AsNoTracking().Where(r => r.ApplicationId == row.ApplicationId).OrderBy(r => r.Number).ToList());
        Assert.Equal([(1, RevisionOrigin.Settings), (2, RevisionOrigin.Submitted)], revisions.Select(r => (r.Number, r.Origin)));
        Assert.Equal(revisions[1].Id, row.WorkloadRevisionId);
        Assert.Equal(revisions[1].Id, deployment.GetProperty("workloadRevisionId").GetGuid());
        Assert.Equal(plan.GetProperty("contentHash").GetString(), revisions[1].ContentHash);
        Assert.Contains("LOG_LEVEL: debug", revisions[1].Text);
        await portal.AssertJobEnqueuedAsync("DeployAsync", deploymentId);
        Assert.Equal(["app.updated", "deployment.queued", "plan.applied", "workload.revision_created"],
            portal.AuditOf(applyCall).Select(e => e.Action).Order());
        // The app's settings now say what the workload says: the form, the JSON API and the workload agree.
        var appView = await AppAsync(scenario, app);
        Assert.Equal(Image2, appView.GetProperty("image").GetString());
        Assert.Equal("debug", appView.GetProperty("env").GetProperty("LOG_LEVEL").GetString());
        Assert.Equal("Applied", (await (await scenario.Viewer.GetAsync($"/api/v1/plans/{planId}")).JsonAsync()).GetProperty("status").GetString());

        var (again, againCall) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{planId}/apply");
        await Api.EnsureAsync(again, HttpStatusCode.Conflict);
        Assert.Contains("already applied", (await again.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(2, portal.DeploymentsOf(envId).Count);
        Assert.Equal(["plan.apply_refused"], portal.AuditOf(againCall).Select(e => e.Action));
    }

    [Fact]
    public async Task Applying_after_the_app_changed_since_the_plan_is_refused_with_what_moved_and_changes_nothing()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        var (response, _) = await PostWorkloadAsync(scenario.Member, app, "dev", Workload(app));
        await Api.EnsureAsync(response, HttpStatusCode.Created);
        var planId = (await response.JsonAsync()).GetProperty("id").GetGuid();

        await Api.EnsureAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}", new { image = "registry.example.com/shop/web:1.1" }), HttpStatusCode.OK);

        var (applied, call) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{planId}/apply");
        await Api.EnsureAsync(applied, HttpStatusCode.Conflict);
        var detail = (await applied.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("the application's workload changed", detail);
        Assert.Contains("Nothing was changed", detail);
        Assert.Equal("registry.example.com/shop/web:1.1", (await AppAsync(scenario, app)).GetProperty("image").GetString());
        Assert.Single(portal.DeploymentsOf(envId));
        var refused = Assert.Single(portal.AuditOf(call));
        Assert.Equal("plan.apply_refused", refused.Action);
        Assert.Contains("workload changed", refused.After);
    }

    [Fact]
    public async Task Applying_after_another_deployment_was_queued_or_what_runs_changed_is_refused()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        var (response, _) = await PostWorkloadAsync(scenario.Member, app, "dev", Workload(app));
        var planId = (await response.JsonAsync()).GetProperty("id").GetGuid();
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);

        var (applied, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{planId}/apply");

        await Api.EnsureAsync(applied, HttpStatusCode.Conflict);
        Assert.Contains("what runs changed", (await applied.JsonAsync()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_worker_moving_the_environment_on_while_a_plan_is_applied_does_not_refuse_the_apply()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);
        var worker = new WorkerWritesTheEnvironmentFirst(portal.OwnerConnectionString, envId);
        using var racing = portal.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.ConfigureDbContext<Paddock.Persistence.PaddockDbContext>(o => o.AddInterceptors(worker))));
        var member = racing.CreateClient();
        member.DefaultRequestHeaders.Authorization = scenario.Member.DefaultRequestHeaders.Authorization;
        var (response, _) = await PostWorkloadAsync(member, app, "dev", Workload(app, variables: "    variables:\n      LOG_LEVEL: debug\n"));
        var planId = (await response.JsonAsync()).GetProperty("id").GetGuid();

        worker.Armed = true;
        var applied = await member.PostAsync($"/api/v1/plans/{planId}/apply", null);

        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);
        Assert.True(worker.Wrote, "the simulated worker never wrote the environment's row");
        Assert.Equal(2, portal.DeploymentsOf(envId).Count);
    }

    /// <summary>Once armed, the first save that adds a deployment is preceded by another connection's update of the
    /// environment's row, as a worker finishing a deployment makes it.</summary>
    private sealed class WorkerWritesTheEnvironmentFirst(string connectionString, Guid environmentId)
        : Microsoft.EntityFrameworkCore.Diagnostics.SaveChangesInterceptor
    {
        public bool Armed { get; set; }
        public bool Wrote { get; private set; }

        public override async ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int>> SavingChangesAsync(
            Microsoft.EntityFrameworkCore.Diagnostics.DbContextEventData eventData,
            Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            if (Armed && !Wrote && eventData.Context!.ChangeTracker.Entries<Deployment>().Any(e => e.State == EntityState.Added))
            {
                Wrote = true;
                await using var connection = new Npgsql.NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var touch = new Npgsql.NpgsqlCommand("UPDATE environments SET name = name WHERE id = @id", connection);
                touch.Parameters.AddWithValue("id", environmentId);
                Assert.Equal(1, await touch.ExecuteNonQueryAsync(cancellationToken));
            }
            return result;
        }
    }

    [Fact]
    public async Task An_expired_plan_is_refused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var clocked = portal.WithWebHostBuilder(b => b.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(clock)));
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var member = clocked.CreateClient();
        member.DefaultRequestHeaders.Authorization = scenario.Member.DefaultRequestHeaders.Authorization;
        var (response, _) = await PostWorkloadAsync(member, app, "dev", Workload(app));
        await Api.EnsureAsync(response, HttpStatusCode.Created);
        var plan = await response.JsonAsync();
        Assert.Equal(clock.GetUtcNow().UtcDateTime.AddHours(1), plan.GetProperty("expiresAt").GetDateTime(), TimeSpan.FromMilliseconds(1));

        clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal("Expired", (await (await member.GetAsync($"/api/v1/plans/{plan.GetProperty("id").GetGuid()}")).JsonAsync()).GetProperty("status").GetString());
        var applied = await member.PostAsync($"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply", null);

        await Api.EnsureAsync(applied, HttpStatusCode.Conflict);
        Assert.Contains("expired", (await applied.JsonAsync()).GetProperty("detail").GetString());
        Assert.Single(portal.DeploymentsOf(portal.EnvironmentId(app, "dev")));
    }

    [Fact]
    public async Task An_invalid_workload_answers_422_with_the_pointer_line_and_column_of_every_error()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        const string text = """
            apiVersion: score.dev/v1b1
            metadata:
              name: shop
            containers:
              web:
                imag: nginx
                variables:
                  PORT: 8080
            """;

        var (response, _) = await PostWorkloadAsync(scenario.Member, app, "dev", text);

        await Api.EnsureAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        var errors = problem.GetProperty("workloadErrors").EnumerateArray()
            .Select(e => (Pointer: e.GetProperty("pointer").GetString()!, Line: e.GetProperty("line").GetInt32(), Column: e.GetProperty("column").GetInt32()))
            .ToList();
        Assert.True(errors.Count >= 3, string.Join(", ", errors));
        Assert.Contains(errors, e => e.Pointer == "/containers/web/imag" && e.Line == 6);
        Assert.Contains(errors, e => e.Pointer == "/containers/web/variables/PORT" && e.Line == 8 && e.Column == 13);
        Assert.Contains(errors, e => e.Pointer == "/containers/web" && e.Line == 5); // "image" is missing in it
        var keyed = problem.GetProperty("errors");
        foreach (var (pointer, line, _) in errors)
            Assert.StartsWith($"Line {line}, column", keyed.GetProperty(pointer)[0].GetString());
        Assert.Empty(portal.WithDb(db => db.DeploymentPlans.AsNoTracking().Where(p => p.EnvironmentId == portal.EnvironmentId(app, "dev")).ToList()));
    }

    [Fact]
    public async Task A_workload_with_two_containers_is_refused_at_plan_time_naming_the_containers()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var text = $"""
            apiVersion: score.dev/v1b1
            metadata:
              name: {app}
            service:
              ports:
                web:
                  port: 8080
            containers:
              web:
                image: {Image2}
              sidecar:
                image: registry.example.com/shop/sidecar:1
            """;

        var (response, _) = await PostWorkloadAsync(scenario.Member, app, "dev", text);

        await Api.EnsureAsync(response, HttpStatusCode.UnprocessableEntity);
        var error = Assert.Single((await response.JsonAsync()).GetProperty("workloadErrors").EnumerateArray());
        Assert.Equal(("/containers", 8), (error.GetProperty("pointer").GetString(), error.GetProperty("line").GetInt32()));
        Assert.Contains("one container", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task The_exported_workload_holds_no_secret_and_planning_it_again_changes_nothing()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b =>
        {
            b["env"] = new Dictionary<string, string> { ["PRICE"] = "5$" };
            b["secrets"] = new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter2-app-secret" };
        });
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);

        var exported = await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "dev")}/workload");
        await Api.EnsureAsync(exported, HttpStatusCode.OK);
        Assert.Equal("application/yaml", exported.Content.Headers.ContentType?.MediaType);
        var yaml = await exported.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", yaml);
        Assert.Contains("DB_PASSWORD: ${resources.env.DB_PASSWORD}", yaml);
        Assert.Contains("PRICE: 5$$", yaml);
        Assert.Contains($"  {app}:", yaml);

        var (planned, _) = await PostWorkloadAsync(scenario.Member, app, "dev", yaml);
        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var plan = await planned.JsonAsync();
        Assert.Equal("Plan: 0 to add, 0 to change, 0 to destroy", plan.GetProperty("summary").GetString());

        var asJson = new HttpRequestMessage(HttpMethod.Get, $"{EnvironmentPath(app, "dev")}/workload");
        asJson.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var json = await scenario.Viewer.SendAsync(asJson);
        Assert.Equal("application/json", json.Content.Headers.ContentType?.MediaType);
        var jsonText = await json.Content.ReadAsStringAsync();
        Assert.Equal(app, JsonDocument.Parse(jsonText).RootElement.GetProperty("metadata").GetProperty("name").GetString());
        var (replanned, _) = await PostWorkloadAsync(scenario.Member, app, "dev", jsonText, "application/json");
        Assert.Equal("Plan: 0 to add, 0 to change, 0 to destroy", (await replanned.JsonAsync()).GetProperty("summary").GetString());

        // An empty body plans the current workload again; applying it redeploys the same revision.
        var (again, _) = await PostWorkloadAsync(scenario.Member, app, "dev", "");
        await Api.EnsureAsync(again, HttpStatusCode.Created);
        var againPlan = await again.JsonAsync();
        Assert.Equal(plan.GetProperty("contentHash").GetString(), againPlan.GetProperty("contentHash").GetString());
        var applied = await scenario.Member.PostAsync($"/api/v1/plans/{againPlan.GetProperty("id").GetGuid()}/apply", null);
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);
        Assert.Equal(1, portal.WithDb(db => db.WorkloadRevisions.Count(r => r.ApplicationId == portal.DeploymentsOf(envId)[0].ApplicationId)));
        foreach (var table in new[] { "workload_revisions", "deployment_plans", "audit_events" })
            Assert.DoesNotContain("hunter2", await portal.RawTableTextAsync(table));
    }

    [Fact]
    public async Task A_changed_secret_shows_as_changed_without_its_value()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b => b["secrets"] = new Dictionary<string, string> { ["API_KEY"] = "old-key-value" });
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);
        await Api.EnsureAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}",
            new { secrets = new Dictionary<string, string> { ["API_KEY"] = "new-key-value" } }), HttpStatusCode.OK);

        var (response, _) = await PostWorkloadAsync(scenario.Member, app, "dev", "");

        await Api.EnsureAsync(response, HttpStatusCode.Created);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("key-value", body);
        var plan = JsonDocument.Parse(body).RootElement;
        Assert.Equal("Plan: 0 to add, 1 to change, 0 to destroy", plan.GetProperty("summary").GetString());
        var variable = Assert.Single(Assert.Single(plan.GetProperty("containers").EnumerateArray()).GetProperty("variables").EnumerateArray());
        Assert.Equal(("API_KEY", "Changed", true), (variable.GetProperty("name").GetString(), variable.GetProperty("kind").GetString(), variable.GetProperty("isSecret").GetBoolean()));
        Assert.False(variable.TryGetProperty("before", out var before) && before.ValueKind != JsonValueKind.Null);
        Assert.False(variable.TryGetProperty("after", out var after) && after.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task A_one_container_sample_of_the_score_project_plans()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        // traderx's people-service (score-spec/examples, see tests/Workloads.Tests/ScoreSamples/README.md).
        var sample = await File.ReadAllTextAsync(SamplePath("examples/samples/traderx/people-service/score.yaml"));

        var (response, _) = await PostWorkloadAsync(scenario.Member, app, "dev", sample);

        await Api.EnsureAsync(response, HttpStatusCode.Created);
        var plan = await response.JsonAsync();
        // Nothing runs yet (no worker here), so everything is to add: the container and its workload.
        Assert.Equal("Plan: 1 to add, 0 to change, 0 to destroy", plan.GetProperty("summary").GetString());
        var container = Assert.Single(plan.GetProperty("containers").EnumerateArray());
        Assert.Equal(("people-service", "Create"), (container.GetProperty("name").GetString(), container.GetProperty("action").GetString()));
    }

    [Fact]
    public async Task Viewers_read_plans_but_cannot_make_or_apply_them_and_deploy_tokens_can()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var (refused, _) = await PostWorkloadAsync(scenario.Viewer, app, "dev", Workload(app));
        await Api.EnsureAsync(refused, HttpStatusCode.Forbidden);

        var deployToken = await scenario.TeamTokenClientAsync(TokenScope.Deploy);
        var (response, _) = await PostWorkloadAsync(deployToken, app, "dev", Workload(app));
        await Api.EnsureAsync(response, HttpStatusCode.Created);
        var planId = (await response.JsonAsync()).GetProperty("id").GetGuid();

        await Api.EnsureAsync(await scenario.Viewer.GetAsync($"/api/v1/plans/{planId}"), HttpStatusCode.OK);
        await Api.EnsureAsync(await scenario.Viewer.PostAsync($"/api/v1/plans/{planId}/apply", null), HttpStatusCode.Forbidden);
        var (outsider, outsiderToken) = await portal.CreateUserAsync(Unique.Email("outsider"));
        await Api.EnsureAsync(await portal.ClientWithToken(outsiderToken).GetAsync($"/api/v1/plans/{planId}"), HttpStatusCode.NotFound);
        await Api.EnsureAsync(await deployToken.PostAsync($"/api/v1/plans/{planId}/apply", null), HttpStatusCode.Accepted);
        _ = outsider;
    }

    [Fact]
    public async Task The_body_must_be_yaml_or_json_and_at_most_one_mebibyte()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var (plain, _) = await PostWorkloadAsync(scenario.Member, app, "dev", Workload(app), "text/plain");
        await Api.EnsureAsync(plain, HttpStatusCode.UnsupportedMediaType);

        var large = Workload(app) + "# " + new string('x', 1024 * 1024) + "\n";
        var (tooLarge, _) = await PostWorkloadAsync(scenario.Member, app, "dev", large);
        await Api.EnsureAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<(HttpResponseMessage Response, string CorrelationId)> PostWorkloadAsync(
        HttpClient client, string app, string env, string text, string mediaType = "application/yaml")
    {
        var correlationId = Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(HttpMethod.Post, $"{EnvironmentPath(app, env)}/plans")
        {
            Content = new StringContent(text, Encoding.UTF8, mediaType),
        };
        request.Headers.Add("X-Correlation-Id", correlationId);
        return (await client.SendAsync(request), correlationId);
    }

    private static async Task<JsonElement> AppAsync(TeamScenario scenario, string app) =>
        await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}")).JsonAsync();

    /// <summary>A Score sample kept with the workload tests; found from the test binaries up to the repository.</summary>
    private static string SamplePath(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Workloads.Tests", "ScoreSamples", relative);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Score sample {relative} not found above {AppContext.BaseDirectory}.");
    }
}
