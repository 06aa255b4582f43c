using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Npgsql;
using Paddock.E2E.Tests.Infrastructure;
using Paddock.Testing;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>The data of an environment's postgres database through the API, with the real workers and the test's real
/// Postgres (a class registered as <c>./run.sh</c> registers its own: loopback, with a container host): removing the
/// database needs <c>confirmDataLoss</c>; a backup restored brings the data back; a new environment created with
/// <c>copyFrom</c> starts with a copy of another's data.</summary>
[Collection(DeployingCollection.Name)]
public sealed class ResourceDataApiTests(DeployingWorld world)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [EngineFact]
    public async Task Applying_a_plan_that_removes_the_database_is_refused_without_confirmDataLoss_and_with_it_the_database_is_gone()
    {
        var (admin, app) = await AppWithDatabaseAsync();
        var database = await ReadyDatabaseAsync(admin, app, "dev");

        var planned = await admin.PostAsync($"/api/v1/apps/{app}/environments/dev/plans",
            new StringContent(Workload(app, className: null), Encoding.UTF8, "application/yaml"));
        Assert.True(planned.StatusCode == HttpStatusCode.Created, await planned.Content.ReadAsStringAsync());
        var plan = await planned.Content.ReadFromJsonAsync<JsonElement>();
        var apply = $"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply";

        var refused = await admin.PostAsJsonAsync(apply, new { message = "drop the database" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("db", problem.GetProperty("errors").GetProperty("confirmDataLoss")[0].GetString());
        Assert.True(await DatabaseExistsAsync(database));

        var accepted = await admin.PostAsJsonAsync(apply, new { confirmDataLoss = new[] { "db" } });
        Assert.True(accepted.StatusCode == HttpStatusCode.Accepted, await accepted.Content.ReadAsStringAsync());
        await DeploymentSucceedsAsync(admin, accepted.Headers.Location!.OriginalString);
        await Eventually.HoldsAsync(async () => !await DatabaseExistsAsync(database), $"database {database} is dropped", Patience);
    }

    [EngineFact]
    public async Task A_backup_restored_through_the_api_brings_back_the_data_it_holds()
    {
        var (admin, app) = await AppWithDatabaseAsync();
        var database = await ReadyDatabaseAsync(admin, app, "dev");
        await SqlAsync(database, "CREATE TABLE notes (note text); INSERT INTO notes VALUES ('original')");
        var resource = $"/api/v1/apps/{app}/environments/dev/resources/db";

        var backedUp = await admin.PostAsync($"{resource}/backup", null);
        Assert.True(backedUp.StatusCode == HttpStatusCode.Created, await backedUp.Content.ReadAsStringAsync());
        var backup = (await backedUp.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("name").GetString()!;
        var listed = await admin.GetFromJsonAsync<JsonElement>($"{resource}/backups");
        Assert.Contains(listed.EnumerateArray(), b => b.GetProperty("name").GetString() == backup);

        await SqlAsync(database, "UPDATE notes SET note = 'changed'; INSERT INTO notes VALUES ('added')");
        Assert.Equal("added,changed", await SqlAsync(database, "SELECT string_agg(note, ',' ORDER BY note) FROM notes"));

        var restored = await admin.PostAsJsonAsync($"{resource}/restore", new { backup });
        Assert.True(restored.StatusCode == HttpStatusCode.OK, await restored.Content.ReadAsStringAsync());
        Assert.Equal("original", await SqlAsync(database, "SELECT string_agg(note, ',' ORDER BY note) FROM notes"));

        var unknown = await admin.PostAsJsonAsync($"{resource}/restore", new { backup = "r" + new string('a', 19) + "-20260101T000000000Z.dump" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
    }

    [EngineFact]
    public async Task An_environment_created_with_copyFrom_starts_with_a_copy_of_the_other_environments_database()
    {
        var (admin, app) = await AppWithDatabaseAsync();
        var staging = await ReadyDatabaseAsync(admin, app, "dev");
        await SqlAsync(staging, "CREATE TABLE notes (note text); INSERT INTO notes VALUES ('from dev')");

        var missing = await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments",
            new { name = "preview", stage = "preview", backend = "docker", copyFrom = new { environment = "nowhere" } });
        await AssertUnprocessableAsync(missing, "copyFrom.environment", "no environment named 'nowhere'");
        var noSuchResource = await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments",
            new { name = "preview", stage = "preview", backend = "docker", copyFrom = new { environment = "dev", resources = new[] { "cache" } } });
        await AssertUnprocessableAsync(noSuchResource, "copyFrom.resources", "no resource 'cache'");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/apps/{app}/environments/preview")).StatusCode);

        var created = await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments",
            new { name = "preview", stage = "preview", backend = "docker", copyFrom = new { environment = "dev" } });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var preview = await ReadyDatabaseAsync(admin, app, "preview");

        Assert.NotEqual(staging, preview);
        Assert.Equal("from dev", await SqlAsync(preview, "SELECT string_agg(note, ',') FROM notes"));
        // The copy is the preview's own: writing to it leaves dev's alone.
        await SqlAsync(preview, "INSERT INTO notes VALUES ('from preview')");
        Assert.Equal("from dev", await SqlAsync(staging, "SELECT string_agg(note, ',') FROM notes"));
    }

    /// <summary>An app whose workload declares a postgres database <c>db</c> on a class of its own (the test's Postgres on
    /// loopback with a container host, as run.sh registers its cluster), running in <c>dev</c> with the database ready.</summary>
    private async Task<(HttpClient Admin, string App)> AppWithDatabaseAsync()
    {
        var admin = world.ApiClient(world.AdminToken);
        var superuser = new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString);
        var className = PageActions.Unique("pg");
        var values = new Dictionary<string, string>
        {
            ["host"] = superuser.Host!, ["port"] = superuser.Port.ToString(CultureInfo.InvariantCulture), ["username"] = superuser.Username!,
            ["database"] = "postgres", ["containerHost"] = "host.containers.internal",
        };
        var secrets = superuser.Password is { } password ? new Dictionary<string, string> { ["password"] = password } : [];
        var classCreated = await admin.PostAsJsonAsync("/api/v1/resource-classes", new { type = "postgres", name = className, values, secrets });
        Assert.True(classCreated.StatusCode == HttpStatusCode.Created, await classCreated.Content.ReadAsStringAsync());

        var team = PageActions.Unique("data");
        var app = PageActions.Unique("keep");
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = team })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/apps", new { name = app, team, image = "localhost/paddock-demo:1", port = 8080 })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = "dev", stage = "development", backend = "docker" })).EnsureSuccessStatusCode();
        // The environment's first deployment may still be under way: a plan made before it went live is refused (409),
        // and a new one made after.
        for (var attempt = 1; ; attempt++)
        {
            var planned = await admin.PostAsync($"/api/v1/apps/{app}/environments/dev/plans",
                new StringContent(Workload(app, className), Encoding.UTF8, "application/yaml"));
            Assert.True(planned.StatusCode == HttpStatusCode.Created, await planned.Content.ReadAsStringAsync());
            var planId = (await planned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var applied = await admin.PostAsync($"/api/v1/plans/{planId}/apply", null);
            if (applied.StatusCode == HttpStatusCode.Conflict && attempt < 30)
            {
                await Task.Delay(1000);
                continue;
            }
            Assert.True(applied.StatusCode == HttpStatusCode.Accepted, await applied.Content.ReadAsStringAsync());
            await DeploymentSucceedsAsync(admin, applied.Headers.Location!.OriginalString);
            return (admin, app);
        }
    }

    private static string Workload(string app, string? className) =>
        $$"""
        apiVersion: score.dev/v1b1
        metadata:
          name: {{app}}
        service:
          ports:
            web:
              port: 8080
        containers:
          {{app}}:
            image: localhost/paddock-demo:1
        """ + (className is null ? "\n" : $$"""

        resources:
          db:
            type: postgres
            class: {{className}}

        """);

    /// <summary>The database of the environment's resource <c>db</c> once it is ready (its name from the outputs).</summary>
    private static async Task<string> ReadyDatabaseAsync(HttpClient admin, string app, string environment)
    {
        string? database = null;
        await Eventually.HoldsAsync(async () =>
        {
            var answer = await admin.GetAsync($"/api/v1/apps/{app}/environments/{environment}/resources");
            if (!answer.IsSuccessStatusCode) return false;
            var db = (await answer.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
                .FirstOrDefault(r => r.GetProperty("name").GetString() == "db");
            if (db.ValueKind != JsonValueKind.Object || db.GetProperty("status").GetString() != "Ready") return false;
            database = db.GetProperty("outputs").GetProperty("database").GetString();
            return true;
        }, $"resource db of {app}/{environment} is Ready", Patience);
        return database!;
    }

    private static async Task DeploymentSucceedsAsync(HttpClient admin, string deploymentUrl)
    {
        var status = "";
        JsonElement deployment = default;
        await Eventually.HoldsAsync(async () =>
        {
            deployment = await admin.GetFromJsonAsync<JsonElement>(deploymentUrl);
            status = deployment.GetProperty("status").GetString()!;
            return status is "Succeeded" or "Failed";
        }, $"deployment {deploymentUrl} finishes", Patience);
        Assert.True(status == "Succeeded", deployment.ToString());
    }

    private static async Task AssertUnprocessableAsync(HttpResponseMessage answer, string field, string message)
    {
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.Contains(message, errors.GetProperty(field)[0].GetString());
    }

    private static async Task<bool> DatabaseExistsAsync(string database) =>
        await SqlAsync("postgres", $"SELECT count(*) FROM pg_database WHERE datname = '{database}'") == "1";

    /// <summary>Runs <paramref name="sql"/> as the test cluster's superuser in <paramref name="database"/>; the first value as text.</summary>
    private static async Task<string?> SqlAsync(string database, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString) { Database = database, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString();
    }
}
