using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Integration.Tests.Sources;
using Paddock.Portal.Features.Catalog;
using Paddock.Portal.Features.Sources;
using Paddock.Testing;

namespace Paddock.Integration.Tests.Catalog;

/// <summary>Catalogs from git: repositories admins register, served by a real <c>git daemon</c> with commits made here,
/// on a real database. No worker runs here: an applied plan's deployment stays Queued until the test marks it succeeded.</summary>
public sealed class CatalogSourcesTests(PortalFixture portal) : IClassFixture<PortalFixture>, IAsyncLifetime
{
    private GitServer _git = null!;

    public async Task InitializeAsync() => _git = await GitServer.StartAsync();

    public async Task DisposeAsync() => await _git.DisposeAsync();

    /// <summary>The files of an entry "notes" at <c>catalogs/notes/</c>: one container, a parameter, an icon.</summary>
    private static Dictionary<string, string> Notes(string version, string image) => new()
    {
        ["catalogs/notes/entry.yaml"] = $"""
            id: notes
            name: Notes
            version: "{version}"
            description: Team notes.
            icon: icon.svg
            images:
              web: {image}
            parameters:
              - id: TITLE
                label: Title
                default: notes
                pattern: '[a-z]+'

            """,
        ["catalogs/notes/score.yaml"] = """
            apiVersion: score.dev/v1b1
            metadata:
              name: notes
            containers:
              notes:
                image: "${images.web}"
                variables:
                  TITLE: "${parameters.TITLE}"
            service:
              ports:
                web:
                  port: 8080

            """,
        ["catalogs/notes/icon.svg"] = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=\"8\" height=\"8\"/></svg>\n",
        ["README.md"] = "A catalog.\n",
    };

    private static async Task<JsonElement> RegisterAsync(HttpClient admin, string name, string url, string path = "catalogs")
    {
        var response = await admin.PostAsJsonAsync("/api/v1/catalog/sources", new { name, url, @ref = "main", path });
        await Api.EnsureAsync(response, HttpStatusCode.Created);
        return await response.JsonAsync();
    }

    private async Task<bool> RefreshAsync(string name)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Paddock.Persistence.PaddockDbContext>();
        var id = db.CatalogSources.Single(s => s.Name == name).Id;
        return await scope.ServiceProvider.GetRequiredService<CatalogSourceService>().RefreshAsync(id, CancellationToken.None);
    }

    private static async Task<List<JsonElement>> CatalogAsync(HttpClient client) =>
        (await (await client.GetAsync("/api/v1/catalog")).JsonAsync()).EnumerateArray().ToList();

    private static async Task<JsonElement> SourceAsync(HttpClient admin, string name) =>
        (await (await admin.GetAsync("/api/v1/catalog/sources")).JsonAsync()).EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    [Fact]
    public async Task A_registered_git_catalogs_entries_are_listed_with_their_source_installed_and_upgraded_like_built_in_ones()
    {
        var repo = await _git.CreateRepositoryAsync(Unique.Name("catalog"));
        var first = await repo.CommitAsync("Notes 1.0", Notes("1.0", "localhost/paddock-demo:1"));
        var admin = portal.AdminClient();
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("team");

        var registered = await RegisterAsync(admin, name, repo.Url);

        Assert.Equal(first, registered.GetProperty("lastCommit").GetString());
        Assert.Equal([$"{name}/notes"], registered.GetProperty("entries").EnumerateArray().Select(e => e.GetString()));
        Assert.False(registered.TryGetProperty("token", out _));
        var listed = await CatalogAsync(scenario.Viewer);
        var notes = listed.Single(e => e.GetProperty("id").GetString() == $"{name}/notes");
        Assert.Equal((name, "1.0"), (notes.GetProperty("source").GetString(), notes.GetProperty("version").GetString()));
        Assert.False(notes.GetProperty("broken").GetBoolean());
        // The built-in entries keep their ids and name no source.
        Assert.False(listed.Single(e => e.GetProperty("id").GetString() == "mediawiki").TryGetProperty("source", out _));
        var one = await (await scenario.Viewer.GetAsync($"/api/v1/catalog/{name}/notes")).JsonAsync();
        Assert.Contains("${parameters.TITLE}", one.GetProperty("workload").GetString());
        var icon = await scenario.Viewer.GetAsync(one.GetProperty("iconUrl").GetString());
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);

        var app = Unique.Name("notes");
        var (installed, call) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/catalog/{name}/notes/install",
            new { team = scenario.TeamName, app, environment = "prod", parameters = new Dictionary<string, string> { ["TITLE"] = "ours" }, apply = true });
        await Api.EnsureAsync(installed, HttpStatusCode.Accepted);
        var planned = portal.AuditOf(call).Single(e => e.Action == "catalog.install_planned");
        Assert.Contains($"\"source\":\"{name}\"", planned.After!.Replace(" ", ""));
        await portal.MarkSucceededAsync((await installed.JsonAsync()).GetProperty("id").GetGuid());
        var running = Assert.Single((await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/catalog")).JsonAsync()).EnumerateArray());
        Assert.Equal(($"{name}/notes", "1.0"), (running.GetProperty("entry").GetString(), running.GetProperty("version").GetString()));
        Assert.False(running.TryGetProperty("upgradeTo", out _));

        // A new version pushed: listed after the next refresh, and offered as the installed entry's upgrade.
        var second = await repo.CommitAsync("Notes 1.1", Notes("1.1", "localhost/paddock-demo:2"));
        Assert.Equal("1.0", (await CatalogAsync(scenario.Viewer)).Single(e => e.GetProperty("id").GetString() == $"{name}/notes").GetProperty("version").GetString());
        Assert.True(await RefreshAsync(name));
        Assert.False(await RefreshAsync(name)); // the ref did not move: nothing is read again
        Assert.Equal(second, (await SourceAsync(admin, name)).GetProperty("lastCommit").GetString());
        Assert.Equal("1.1", (await CatalogAsync(scenario.Viewer)).Single(e => e.GetProperty("id").GetString() == $"{name}/notes").GetProperty("version").GetString());
        var offered = Assert.Single((await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/catalog")).JsonAsync()).EnumerateArray());
        Assert.Equal("1.1", offered.GetProperty("upgradeTo").GetString());

        var (upgrade, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/catalog/{name}/notes/install",
            new { team = scenario.TeamName, app, environment = "prod" });
        await Api.EnsureAsync(upgrade, HttpStatusCode.Created);
        var plan = await upgrade.JsonAsync();
        var image = Assert.Single(plan.GetProperty("containers").EnumerateArray()).GetProperty("changes").EnumerateArray()
            .Single(c => c.GetProperty("field").GetString() == "image");
        Assert.Equal(("localhost/paddock-demo:1", "localhost/paddock-demo:2"), (image.GetProperty("before").GetString(), image.GetProperty("after").GetString()));
        var (applied, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply");
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);
        Assert.Equal("1.1", Assert.Single((await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/catalog")).JsonAsync()).EnumerateArray())
            .GetProperty("version").GetString());
    }

    [Fact]
    public async Task An_entry_that_does_not_validate_is_listed_as_broken_with_its_file_and_line_and_cannot_be_installed()
    {
        var repo = await _git.CreateRepositoryAsync(Unique.Name("catalog"));
        var files = Notes("1.0", "localhost/paddock-demo:1");
        files["catalogs/badversion/entry.yaml"] = "id: badversion\nname: Bad version\nversion: one\nimages:\n  web: localhost/paddock-demo:1\n";
        files["catalogs/badversion/score.yaml"] = "apiVersion: score.dev/v1b1\nmetadata:\n  name: badversion\ncontainers:\n  badversion:\n    image: \"${images.web}\"\n";
        files["catalogs/noimage/entry.yaml"] = "id: noimage\nname: No image\nversion: \"2.0\"\n";
        files["catalogs/noimage/score.yaml"] = "apiVersion: score.dev/v1b1\nmetadata:\n  name: noimage\ncontainers:\n  noimage:\n    variables:\n      A: b\n";
        await repo.CommitAsync("Two broken entries", files);
        var admin = portal.AdminClient();
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("team");

        var registered = await RegisterAsync(admin, name, repo.Url);

        Assert.Equal([$"{name}/notes"], registered.GetProperty("entries").EnumerateArray().Select(e => e.GetString()));
        var listed = await CatalogAsync(scenario.Viewer);
        var badVersion = listed.Single(e => e.GetProperty("id").GetString() == $"{name}/badversion");
        Assert.True(badVersion.GetProperty("broken").GetBoolean());
        Assert.StartsWith("entry.yaml:3: version:", Assert.Single(badVersion.GetProperty("problems").EnumerateArray()).GetString());
        var noImage = listed.Single(e => e.GetProperty("id").GetString() == $"{name}/noimage");
        var problems = noImage.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.True(problems.Any(p => System.Text.RegularExpressions.Regex.IsMatch(p, @"^score\.yaml:[56]:\d+: .*image")), string.Join("\n", problems));

        var (refused, _) = await scenario.Member.CallAsync(HttpMethod.Post, $"/api/v1/catalog/{name}/badversion/install",
            new { team = scenario.TeamName, app = Unique.Name("bad"), environment = "prod" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("entry.yaml:3", await refused.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unreachable_repository_keeps_its_last_good_entries_and_shows_the_error()
    {
        var repoName = Unique.Name("catalog");
        var repo = await _git.CreateRepositoryAsync(repoName);
        var commit = await repo.CommitAsync("Notes 1.0", Notes("1.0", "localhost/paddock-demo:1"));
        var admin = portal.AdminClient();
        var name = Unique.Name("team");
        await RegisterAsync(admin, name, repo.Url);

        // The repository goes away from the server.
        Directory.Move(Path.Combine(_git.Root, "repos", repoName + ".git"), Path.Combine(_git.Root, "repos", repoName + "-gone.git"));
        Assert.False(await RefreshAsync(name));

        var source = await SourceAsync(admin, name);
        Assert.Contains("could not be reached", source.GetProperty("lastError").GetString());
        Assert.Equal(commit, source.GetProperty("lastCommit").GetString());
        Assert.Contains(await CatalogAsync(admin), e => e.GetProperty("id").GetString() == $"{name}/notes");
    }

    [Fact]
    public async Task Registering_is_for_admins_and_answers_422_naming_each_field_that_cannot_be_used()
    {
        var repo = await _git.CreateRepositoryAsync(Unique.Name("catalog"));
        await repo.CommitAsync("Notes 1.0", Notes("1.0", "localhost/paddock-demo:1"));
        var admin = portal.AdminClient();
        var scenario = await TeamScenario.CreateAsync(portal);

        async Task<(HttpStatusCode, string)> Register(HttpClient client, object body)
        {
            var response = await client.PostAsJsonAsync("/api/v1/catalog/sources", body);
            if (response.StatusCode is not (HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict)) return (response.StatusCode, "");
            var problem = await response.JsonAsync();
            return (response.StatusCode, problem.TryGetProperty("errors", out var errors) ? string.Join(",", errors.EnumerateObject().Select(p => p.Name).Order()) : "");
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await Register(scenario.Owner, new { name = Unique.Name("team"), url = repo.Url, @ref = "main" })).Item1);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "name,path,ref,url"),
            await Register(admin, new { name = "Not A Name", url = "file:///etc", @ref = "", path = "../up" }));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "url"),
            await Register(admin, new { name = Unique.Name("team"), url = _git.UrlOf("no-such-repo"), @ref = "main" }));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "ref"),
            await Register(admin, new { name = Unique.Name("team"), url = repo.Url, @ref = "no-such-branch" }));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, "path"),
            await Register(admin, new { name = Unique.Name("team"), url = repo.Url, @ref = "main", path = "no/such/folder" }));

        var name = Unique.Name("team");
        await RegisterAsync(admin, name, repo.Url);
        Assert.Equal(HttpStatusCode.Conflict, (await Register(admin, new { name, url = repo.Url, @ref = "main", path = "catalogs" })).Item1);
        Assert.Equal(HttpStatusCode.Forbidden, (await scenario.Owner.GetAsync("/api/v1/catalog/sources")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await scenario.Owner.DeleteAsync($"/api/v1/catalog/sources/{name}")).StatusCode);

        var deleted = await admin.DeleteAsync($"/api/v1/catalog/sources/{name}");
        await Api.EnsureAsync(deleted, HttpStatusCode.OK);
        Assert.DoesNotContain(await CatalogAsync(admin), e => e.GetProperty("id").GetString() == $"{name}/notes");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.DeleteAsync($"/api/v1/catalog/sources/{name}")).StatusCode);
    }

    [Fact]
    public async Task The_git_followers_polling_reads_a_registered_catalogs_new_commit()
    {
        var repo = await _git.CreateRepositoryAsync(Unique.Name("catalog"));
        await repo.CommitAsync("Notes 1.0", Notes("1.0", "localhost/paddock-demo:1"));
        var name = Unique.Name("team");
        await RegisterAsync(portal.AdminClient(), name, repo.Url);
        var second = await repo.CommitAsync("Notes 1.1", Notes("1.1", "localhost/paddock-demo:2"));

        // The portal's own poller waits three minutes between polls: one that polls every second takes over its lead.
        await portal.Services.GetRequiredService<GitPoller>().StopAsync(CancellationToken.None);
        var poller = new GitPoller(portal.Services.GetRequiredService<IServiceScopeFactory>(),
            new GitSettings { PollInterval = TimeSpan.FromSeconds(1), PollJitter = TimeSpan.Zero }, portal.AppConnectionString,
            TimeProvider.System, NullLogger<GitPoller>.Instance);
        await poller.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.HoldsAsync(() => portal.WithDb(db => db.CatalogSources.Single(s => s.Name == name).LastCommit) == second,
                "The poller reading the catalog's new commit", TimeSpan.FromSeconds(60));
        }
        finally
        {
            await poller.StopAsync(CancellationToken.None);
        }
        Assert.Equal("1.1", (await CatalogAsync(portal.AdminClient())).Single(e => e.GetProperty("id").GetString() == $"{name}/notes")
            .GetProperty("version").GetString());
    }
}
