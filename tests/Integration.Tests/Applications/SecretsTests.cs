using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence.Secrets;

namespace Paddock.Integration.Tests.Applications;

public sealed class SecretsTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static string SecretValue() => $"s3cret-{Guid.NewGuid():N}";

    [Fact]
    public async Task Secret_values_never_appear_in_responses_or_the_audit_trail()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        var (appSecret, changedSecret, envSecret, envChanged) = (SecretValue(), SecretValue(), SecretValue(), SecretValue());
        var bodies = new List<string>();

        async Task<HttpResponseMessage> Keep(Task<HttpResponseMessage> call)
        {
            var response = await call;
            bodies.Add(await response.Content.ReadAsStringAsync());
            return response;
        }

        await Api.EnsureAsync(await Keep(scenario.Member.PostAsJsonAsync("/api/v1/apps",
            scenario.AppBody(name, b => b["secrets"] = new Dictionary<string, string> { ["DB_PASSWORD"] = appSecret }))), HttpStatusCode.Created);
        await Api.EnsureAsync(await Keep(scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}",
            new { secrets = new Dictionary<string, string> { ["DB_PASSWORD"] = changedSecret } })), HttpStatusCode.OK);
        await Api.EnsureAsync(await Keep(scenario.Member.PostAsJsonAsync($"/api/v1/apps/{name}/environments",
            new { name = "dev", stage = "development", backend = "docker", secrets = new Dictionary<string, string> { ["API_KEY"] = envSecret } })), HttpStatusCode.Created);
        await Api.EnsureAsync(await Keep(scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}/environments/dev",
            new { secrets = new Dictionary<string, string> { ["API_KEY"] = envChanged } })), HttpStatusCode.OK);
        await Keep(scenario.Member.GetAsync($"/api/v1/apps/{name}"));
        await Keep(scenario.Member.GetAsync("/api/v1/apps"));
        await Keep(scenario.Member.GetAsync($"/api/v1/apps/{name}/environments/dev"));
        await Keep(scenario.Member.GetAsync($"/api/v1/apps/{name}/environments"));
        await Keep(scenario.Member.DeleteAsync($"/api/v1/apps/{name}/environments/dev"));

        var audit = await portal.RawTableTextAsync("audit_events");
        var stored = await portal.RawTableTextAsync("secret_versions");
        Assert.Contains("DB_PASSWORD", audit);
        Assert.Contains("API_KEY", string.Concat(bodies));
        foreach (var value in new[] { appSecret, changedSecret, envSecret, envChanged })
        {
            Assert.DoesNotContain(value, audit);
            Assert.DoesNotContain(value, stored);
            Assert.All(bodies, body => Assert.DoesNotContain(value, body));
        }
    }

    [Fact]
    public async Task Changing_a_secret_adds_version_2_and_removing_it_adds_an_empty_version()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        var (first, second) = (SecretValue(), SecretValue());
        var created = await scenario.CreateAppAsync(name, b => b["secrets"] = new Dictionary<string, string> { ["TOKEN"] = first });
        var appId = created.GetProperty("id").GetGuid();
        var listed = Assert.Single(created.GetProperty("secrets").EnumerateArray());
        Assert.Equal(("TOKEN", 1), (listed.GetProperty("name").GetString(), listed.GetProperty("version").GetInt32()));
        Assert.False(listed.TryGetProperty("value", out _));

        var changed = await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}", new { secrets = new Dictionary<string, string> { ["TOKEN"] = second } });
        await Api.EnsureAsync(changed, HttpStatusCode.OK);
        Assert.Equal(2, Assert.Single((await changed.JsonAsync()).GetProperty("secrets").EnumerateArray()).GetProperty("version").GetInt32());

        var removed = await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}", new { secrets = new Dictionary<string, string?> { ["TOKEN"] = null } });
        await Api.EnsureAsync(removed, HttpStatusCode.OK);
        Assert.Empty((await removed.JsonAsync()).GetProperty("secrets").EnumerateArray());

        var versions = portal.WithDb(db => db.SecretVersions.AsNoTracking()
            .Where(s => s.ApplicationId == appId && s.Name == "TOKEN").OrderBy(s => s.Version).ToList());
        Assert.Equal([1, 2, 3], versions.Select(v => v.Version));
        Assert.Null(versions[2].Ciphertext);
        var protector = portal.Services.GetRequiredService<SecretProtector>();
        Assert.Equal(first, protector.Unprotect(versions[0].Ciphertext!));
        Assert.Equal(second, protector.Unprotect(versions[1].Ciphertext!));
    }

    [Fact]
    public async Task An_environment_secret_overrides_the_apps_secret_of_the_same_name()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name, b => b["secrets"] = new Dictionary<string, string> { ["SHARED"] = "a", ["OWN"] = "b" });

        var env = await scenario.CreateEnvironmentAsync(name, "prod", new
        {
            name = "prod", stage = "Production", backend = "docker",
            secrets = new Dictionary<string, string> { ["SHARED"] = "c" },
        });

        var effective = env.GetProperty("effective").GetProperty("secrets").EnumerateArray()
            .Select(s => (s.GetProperty("name").GetString(), s.GetProperty("source").GetString())).ToList();
        Assert.Equal([("OWN", "application"), ("SHARED", "environment")], effective);
        Assert.Equal("SHARED", Assert.Single(env.GetProperty("overrides").GetProperty("secrets").EnumerateArray()).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_secret_change_alone_moves_the_apps_etag_and_writes_its_audit_events_without_values()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name);
        var etag = (await scenario.Member.GetAsync($"/api/v1/apps/{name}")).Headers.ETag!.Tag;
        var value = SecretValue();

        var (response, call) = await scenario.Member.CallAsync(HttpMethod.Patch, $"/api/v1/apps/{name}",
            new { secrets = new Dictionary<string, string> { ["NEW_ONE"] = value } }, ifMatch: etag);

        await Api.EnsureAsync(response, HttpStatusCode.OK);
        Assert.NotEqual(etag, response.Headers.ETag!.Tag);
        // A new secret's name reaches the container, so the workload (NEW_ONE: ${resources.env.NEW_ONE}) has a new revision.
        var entries = portal.AuditOf(call);
        Assert.Equal(["app.updated", "workload.revision_created"], entries.Select(e => e.Action).Order());
        var audit = entries.Single(e => e.Action == "app.updated");
        Assert.Contains("NEW_ONE", audit.After);
        Assert.All(entries, e => Assert.DoesNotContain(value, e.After));
    }
}
