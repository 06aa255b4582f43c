using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Microsoft.Playwright;
using Npgsql;
using Paddock.E2E.Tests.Infrastructure;
using Paddock.Testing;
using static Microsoft.Playwright.Assertions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>Issue #22's proof: an app packaged with a postgres database and a redis cache. The environment is created
/// by click; the app (<see cref="ResourcesDemoImage"/>) stores data in both and in a volume and answers with it through
/// the environment's URL; deleting the environment by click removes the database, its role, the redis user and its
/// keys, and the volume, as the servers and the engine themselves say. The classes are what <c>./run.sh</c> registers for its own servers: the test's
/// Postgres and Redis on 127.0.0.1, which containers cannot reach, with <c>containerHost: host.containers.internal</c>,
/// so the workers' relay on the environment's network gateway is the only way the app gets to them.</summary>
[Collection(DeployingCollection.Name)]
public sealed class ResourcesJourneyTests(DeployingWorld world)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Slow = new() { Timeout = 60_000 };

    [EngineFact]
    public async Task An_environment_created_by_click_stores_data_in_its_own_database_and_cache_and_deleting_it_removes_both_from_their_servers()
    {
        using var engine = new DockerClientBuilder().WithEndpoint(new Uri(Environment.GetEnvironmentVariable(EngineFactAttribute.Variable)!)).Build();
        await ResourcesDemoImage.ImportIfMissingAsync(engine);
        var superuser = new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString);
        Assert.True(IPAddress.IsLoopback(IPAddress.Parse(superuser.Host!)) && IPAddress.IsLoopback(IPAddress.Parse(RedisTestServer.Host)),
            "the test's servers listen on loopback, like run.sh's");
        using var admin = world.ApiClient(world.AdminToken);
        var team = PageActions.Unique("data");
        var app = PageActions.Unique("notes");
        var postgresClass = PageActions.Unique("pg");
        var redisClass = PageActions.Unique("cache");
        await CreateClassAsync(admin, "postgres", postgresClass, new()
        {
            ["host"] = superuser.Host!, ["port"] = Text(superuser.Port), ["username"] = superuser.Username!, ["database"] = "postgres",
            ["containerHost"] = "host.containers.internal",
        }, superuser.Password);
        await CreateClassAsync(admin, "redis", redisClass, new()
        {
            ["host"] = RedisTestServer.Host, ["port"] = Text(RedisTestServer.Port), ["username"] = RedisTestServer.AdminUser,
            ["containerHost"] = "host.containers.internal",
        }, RedisTestServer.AdminPassword);

        // The app's workload says what it needs; applying it in dev makes it the revision new environments get.
        (await admin.PostAsJsonAsync("/api/v1/teams", new { name = team })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/api/v1/apps", new { name = app, team, image = ResourcesDemoImage.Image, port = 8080 })).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new { name = "dev", stage = "development", backend = "docker" })).EnsureSuccessStatusCode();
        try
        {
            await using var browser = await world.Browser.NewPageAsync(world.BaseUrl);
            var page = browser.Page;
            await page.SignInAsync(world.AdminEmail, world.AdminPassword);

            // dev's page is open before its workload gains the database and the cache: the graph draws them as they
            // are provisioned and turn healthy, without a reload.
            await page.GoToAsync($"/apps/{app}/environments/dev");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{app} / dev" })).ToBeVisibleAsync();
            await Expect(page.Locator("[data-node='resource:db']")).ToHaveCountAsync(0);
            await page.EvaluateAsync("() => { window.paddockNotReloaded = true; }");
            var planned = await admin.PostAsync($"/api/v1/apps/{app}/environments/dev/plans",
                new StringContent(Workload(app, postgresClass, redisClass), Encoding.UTF8, "application/yaml"));
            Assert.True(planned.StatusCode == HttpStatusCode.Created, await planned.Content.ReadAsStringAsync());
            var planId = (await planned.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var applied = await admin.PostAsync($"/api/v1/plans/{planId}/apply", null);
            Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync());
            foreach (var node in new[] { "resource:db", "resource:cache", $"container:{app}" })
                await Expect(page.Locator($"[data-node='{node}']")).ToHaveAttributeAsync("data-health", "Healthy", new() { Timeout = 60_000 });
            Assert.True(await page.EvaluateAsync<bool>("() => window.paddockNotReloaded === true"), "the environment page reloaded");

            await page.GoToAsync($"/apps/{app}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create environment" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await dialog.GetByLabel("Environment name").FillAsync("preview");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
            var card = page.Locator("[data-environment=preview]");
            await Expect(card.GetByLabel("Status Running")).ToBeVisibleAsync(Slow);

            await card.GetByRole(AriaRole.Link, new() { Name = "preview", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"{app} / preview" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Resources" }).ClickAsync();
            await Expect(page.GetByLabel("Resource db is Ready")).ToBeVisibleAsync();
            await Expect(page.GetByLabel("Resource cache is Ready")).ToBeVisibleAsync();
            var address = await page.GetByRole(AriaRole.Link, new() { Name = "Environment URL" }).GetAttributeAsync("href");

            // The app writes a row and a key, and answers with what both servers hold.
            var note = "journey-" + Guid.NewGuid().ToString("N")[..8];
            await using (var visitor = await world.Browser.NewPageAsync(address!))
            {
                await visitor.Page.GotoAsync($"{address}cgi-bin/store?{note}");
                var body = visitor.Page.Locator("body");
                await Expect(body).ToContainTextAsync($"postgres: {note}");
                await Expect(body).ToContainTextAsync($"redis: {note}");
                await Expect(body).ToContainTextAsync($"volume: {note}");
            }

            // The servers agree: the database holds the row, redis the user and the key.
            var resources = await (await admin.GetAsync($"/api/v1/apps/{app}/environments/preview/resources")).Content.ReadFromJsonAsync<JsonElement>();
            var database = Output(resources, "db", "database");
            var role = Output(resources, "db", "username");
            var redisUser = Output(resources, "cache", "username");
            var prefix = Output(resources, "cache", "prefix");
            var volume = Output(resources, "files", "name");
            await engine.Volumes.InspectAsync(volume);
            Assert.Equal("host.containers.internal", Output(resources, "db", "host"));
            Assert.Equal("host.containers.internal", Output(resources, "cache", "host"));
            Assert.Equal(note, await ScalarAsync(database, "SELECT string_agg(note, ',') FROM notes"));
            Assert.Equal("1", await RedisAsync("EXISTS", prefix + "note"));
            Assert.NotEqual("", await RedisAsync("ACL", "GETUSER", redisUser));

            // Deleted by click, with the typed confirmation; the environment is gone once its resources are.
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete environment" }).ClickAsync();
            var delete = page.GetByRole(AriaRole.Dialog, new() { Name = "Delete environment", Exact = true });
            await delete.GetByLabel("Environment name to confirm").FillAsync("preview");
            await delete.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
            await Expect(page.GetByText("Environment 'preview' is being deleted.")).ToBeVisibleAsync();
            await WaitUntilGoneAsync(admin, app, "preview");

            Assert.Null(await ScalarAsync("postgres", "SELECT datname FROM pg_database WHERE datname = @name", database));
            Assert.Null(await ScalarAsync("postgres", "SELECT rolname FROM pg_roles WHERE rolname = @name", role));
            Assert.Equal("", await RedisAsync("ACL", "GETUSER", redisUser));
            Assert.Equal("0", await RedisAsync("EXISTS", prefix + "note"));
            Assert.Equal("", await RedisAsync("--scan", "--pattern", prefix + "*"));
            var volumeGone = await Assert.ThrowsAnyAsync<DockerApiException>(() => engine.Volumes.InspectAsync(volume));
            Assert.Equal(HttpStatusCode.NotFound, volumeGone.StatusCode);
        }
        finally
        {
            // dev holds resources on the test's servers too.
            await admin.DeleteAsync($"/api/v1/apps/{app}/environments/dev");
            await WaitUntilGoneAsync(admin, app, "dev");
        }
    }

    private static string Workload(string app, string postgresClass, string redisClass) =>
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
            image: {{ResourcesDemoImage.Image}}
            variables:
              DATABASE_URL: ${resources.db.url}
              REDIS_URL: ${resources.cache.url}
              REDIS_PREFIX: ${resources.cache.prefix}
            volumes:
              /data:
                source: ${resources.files}
            readinessProbe:
              httpGet:
                port: 8080
                path: /
        resources:
          db:
            type: postgres
            class: {{postgresClass}}
          cache:
            type: redis
            class: {{redisClass}}
          files:
            type: volume
        """;

    private static async Task CreateClassAsync(HttpClient admin, string type, string name, Dictionary<string, string> values, string? password)
    {
        var secrets = password is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["password"] = password };
        var created = await admin.PostAsJsonAsync("/api/v1/resource-classes", new { type, name, values, secrets });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    private static string Output(JsonElement resources, string resource, string output) =>
        resources.EnumerateArray().Single(r => r.GetProperty("name").GetString() == resource).GetProperty("outputs").GetProperty(output).GetString()!;

    private async Task WaitUntilGoneAsync(HttpClient admin, string app, string environment)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await admin.GetAsync($"/api/v1/apps/{app}/environments/{environment}")).StatusCode != HttpStatusCode.NotFound)
        {
            if (DateTime.UtcNow > deadline)
            {
                var resources = await (await admin.GetAsync($"/api/v1/apps/{app}/environments/{environment}/resources")).Content.ReadAsStringAsync();
                throw new TimeoutException($"{app}/{environment} was not torn down in 60 s; its resources: {resources}");
            }
            await Task.Delay(250);
        }
    }

    /// <summary>A query as the test cluster's superuser, in <paramref name="database"/>.</summary>
    private static async Task<string?> ScalarAsync(string database, string sql, string? name = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString) { Database = database, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (name is not null) command.Parameters.AddWithValue("name", name);
        return (await command.ExecuteScalarAsync()) as string;
    }

    /// <summary>redis-cli as the test server's admin (its password through the environment, not the command line);
    /// the reply as redis-cli prints it without a terminal, trimmed.</summary>
    private static async Task<string> RedisAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--no-auth-warning", "-h", RedisTestServer.Host, "-p", Text(RedisTestServer.Port), "--user", RedisTestServer.AdminUser }.Concat(arguments))
            start.ArgumentList.Add(argument);
        start.Environment["REDISCLI_AUTH"] = RedisTestServer.AdminPassword;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"redis-cli {string.Join(' ', arguments)}: {await process.StandardError.ReadToEndAsync()}");
        return output.Trim();
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}
