using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Paddock.E2E.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Paddock.E2E.Tests.Journeys;

/// <summary>The seed of the project, for real: the catalog's MediaWiki entry installed through the API on real Podman
/// and real Postgres ends with a wiki whose main page answers through the environment's URL and whose tables live in
/// the database Paddock provisioned for it. Opt-in (<see cref="MediaWikiFactAttribute"/>).</summary>
public sealed class MediaWikiCatalogTests(ITestOutputHelper output)
{
    [MediaWikiFact]
    public async Task Installing_MediaWiki_from_the_catalog_serves_its_main_page_from_the_provisioned_database()
    {
        var world = new MediaWikiWorld();
        await ((IAsyncLifetime)world).InitializeAsync();
        try
        {
            using var admin = world.ApiClient(world.AdminToken);
            var team = PageActions.Unique("wiki");
            var app = PageActions.Unique("wiki");
            (await admin.PostAsJsonAsync("/api/v1/teams", new { name = team })).EnsureSuccessStatusCode();

            var clock = Stopwatch.StartNew();
            var installed = await admin.PostAsJsonAsync("/api/v1/catalog/mediawiki/install",
                new { team, app, environment = "prod", parameters = new Dictionary<string, string> { ["SITE_NAME"] = "Catalog Wiki" }, apply = true });
            Assert.True(installed.StatusCode == HttpStatusCode.Accepted, await installed.Content.ReadAsStringAsync());
            var deploymentUrl = installed.Headers.Location!.OriginalString;
            var status = "";
            while (clock.Elapsed < TimeSpan.FromMinutes(10))
            {
                var deployment = await admin.GetFromJsonAsync<JsonElement>(deploymentUrl);
                status = deployment.GetProperty("status").GetString()!;
                if (status is "Succeeded" or "Failed") { Assert.True(status == "Succeeded", deployment.ToString()); break; }
                await Task.Delay(250);
            }
            Assert.Equal("Succeeded", status);
            var deployed = clock.Elapsed;

            // .NET does not resolve *.localhost: ask the edge on loopback with the environment's host name.
            using var visitor = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{world.EdgePort}") };
            var request = new HttpRequestMessage(HttpMethod.Get, "/index.php?title=Main_Page");
            request.Headers.Host = $"{app}-prod.localhost:{world.EdgePort}";
            var page = await visitor.SendAsync(request);
            var html = await page.Content.ReadAsStringAsync();
            var answered = clock.Elapsed;
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode}: {html[..Math.Min(html.Length, 2000)]}");
            Assert.Contains("Catalog Wiki", html);
            Assert.Contains("MediaWiki has been installed", html);
            output.WriteLine($"install call → deployment Succeeded: {deployed.TotalSeconds:F1} s; → main page answered: {answered.TotalSeconds:F1} s");

            // The wiki's pages are rows of the database Paddock provisioned for the environment.
            var resources = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/apps/{app}/environments/prod/resources");
            var database = resources.EnumerateArray().Single(r => r.GetProperty("name").GetString() == "db").GetProperty("outputs").GetProperty("name").GetString();
            var connection = new NpgsqlConnectionStringBuilder(Paddock.Testing.PostgresServer.SuperuserConnectionString) { Database = database, Pooling = false };
            await using var db = new NpgsqlConnection(connection.ConnectionString);
            await db.OpenAsync();
            await using var query = new NpgsqlCommand(
                "SELECT (SELECT schemaname FROM pg_tables WHERE tablename = 'page'), (SELECT count(*) FROM pg_tables WHERE tablename IN ('page', 'revision', 'text', 'user'))", db);
            await using var reader = await query.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            var schema = reader.GetString(0);
            Assert.Equal(4, reader.GetInt64(1));
            await reader.CloseAsync();
            await using var pages = new NpgsqlCommand($"SELECT count(*) FROM \"{schema}\".page WHERE page_title = 'Main_Page'", db);
            Assert.Equal(1L, await pages.ExecuteScalarAsync());
        }
        finally
        {
            await ((IAsyncLifetime)world).DisposeAsync();
        }
    }
}
