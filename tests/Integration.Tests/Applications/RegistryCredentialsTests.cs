using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Environments;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence.Secrets;

namespace Paddock.Integration.Tests.Applications;

public sealed class RegistryCredentialsTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static string Password() => $"registry-{Guid.NewGuid():N}";

    private static object Credentials(string password, string server = "registry.example.com:5000", string username = "ci-bot") =>
        new { server, username, password };

    [Fact]
    public async Task The_password_is_stored_encrypted_and_never_appears_in_responses_or_the_audit_trail()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        var (first, second) = (Password(), Password());
        var bodies = new List<string>();

        async Task<HttpResponseMessage> Keep(Task<HttpResponseMessage> call)
        {
            var response = await call;
            bodies.Add(await response.Content.ReadAsStringAsync());
            return response;
        }

        var created = await Keep(scenario.Member.PostAsJsonAsync("/api/v1/apps",
            scenario.AppBody(name, b => b["registryCredentials"] = Credentials(first))));
        await Api.EnsureAsync(created, HttpStatusCode.Created);
        await Api.EnsureAsync(await Keep(scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}",
            new { registryCredentials = Credentials(second, username: "deployer") })), HttpStatusCode.OK);
        var read = await Keep(scenario.Viewer.GetAsync($"/api/v1/apps/{name}"));
        await Keep(scenario.Member.GetAsync("/api/v1/apps"));

        var shown = (await read.JsonAsync()).GetProperty("registryCredentials");
        Assert.Equal("registry.example.com:5000", shown.GetProperty("server").GetString());
        Assert.Equal("deployer", shown.GetProperty("username").GetString());
        Assert.True(shown.GetProperty("hasPassword").GetBoolean());
        Assert.Equal(2, shown.GetProperty("version").GetInt32());
        Assert.False(shown.TryGetProperty("password", out _));

        var stored = await portal.RawTableTextAsync("registry_credential_versions");
        var audit = await portal.RawTableTextAsync("audit_events");
        Assert.Contains("deployer", audit);
        foreach (var password in new[] { first, second })
        {
            Assert.DoesNotContain(password, stored);
            Assert.DoesNotContain(password, audit);
            Assert.All(bodies, body => Assert.DoesNotContain(password, body));
        }
        var appId = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var versions = portal.WithDb(db => db.RegistryCredentialVersions.AsNoTracking()
            .Where(c => c.ApplicationId == appId).OrderBy(c => c.Version).ToList());
        var protector = portal.Services.GetRequiredService<SecretProtector>();
        Assert.Equal([first, second], versions.Select(v => protector.Unprotect(v.PasswordCiphertext!)));
    }

    [Fact]
    public async Task Null_removes_the_credentials_with_a_version_without_values()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        var appId = (await scenario.CreateAppAsync(name, b => b["registryCredentials"] = Credentials(Password()))).GetProperty("id").GetGuid();

        var removed = await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}", new { registryCredentials = (object?)null });

        await Api.EnsureAsync(removed, HttpStatusCode.OK);
        Assert.False((await removed.JsonAsync()).TryGetProperty("registryCredentials", out var shown) && shown.ValueKind != JsonValueKind.Null);
        var latest = portal.WithDb(db => db.RegistryCredentialVersions.AsNoTracking()
            .Where(c => c.ApplicationId == appId).OrderByDescending(c => c.Version).First());
        Assert.Equal((2, null, null, null), (latest.Version, latest.Server, latest.Username, latest.PasswordCiphertext));
    }

    [Theory]
    [InlineData("https://registry.example.com", "u", "p", "registryCredentials.server")]
    [InlineData("registry.example.com/team", "u", "p", "registryCredentials.server")]
    [InlineData("registry.example.com:99999", "u", "p", "registryCredentials.server")]
    [InlineData("", "u", "p", "registryCredentials.server")]
    [InlineData("ghcr.io", "", "p", "registryCredentials.username")]
    [InlineData("ghcr.io", "u", "", "registryCredentials.password")]
    public async Task Invalid_credentials_are_refused_with_field_errors_on_create_and_patch(string server, string username, string password, string field)
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        var body = new { server, username, password };

        var onCreate = await Api.ErrorKeysAsync(await scenario.Member.PostAsJsonAsync("/api/v1/apps",
            scenario.AppBody(name, b => b["registryCredentials"] = body)));
        await scenario.CreateAppAsync(name);
        var onPatch = await Api.ErrorKeysAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}", new { registryCredentials = body }));

        Assert.Equal([field], onCreate);
        Assert.Equal([field], onPatch);
    }

    [Fact]
    public async Task A_patch_must_give_all_three_fields_and_unknown_ones_are_refused()
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name, b => b["registryCredentials"] = Credentials(Password()));

        var partial = await Api.ErrorKeysAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}",
            new { registryCredentials = new { username = "other" } }));
        var unknown = await Api.ErrorKeysAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{name}",
            new { registryCredentials = new { server = "ghcr.io", username = "other", password = "p", token = "x" } }));

        Assert.Equal(["registryCredentials.password", "registryCredentials.server"], partial.Order(StringComparer.Ordinal));
        Assert.Equal(["registryCredentials.token"], unknown);
    }

    [Fact]
    public async Task Changing_the_credentials_marks_running_environments_out_of_sync_and_deployments_pin_their_version()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b => b["registryCredentials"] = Credentials(Password()));
        var envId = portal.EnvironmentId(app, "dev");
        var first = Assert.Single(portal.DeploymentsOf(envId));
        Assert.Equal(("registry.example.com:5000", "ci-bot", 1), (first.Snapshot.Registry!.Server, first.Snapshot.Registry.Username, first.Snapshot.Registry.Version));
        await portal.WithDbAsync(async db =>
        {
            var deployment = await db.Deployments.FindAsync(first.Id);
            deployment!.Start("test-worker", DateTime.UtcNow);
            deployment.Succeed(null, DateTime.UtcNow);
            var env = await db.Environments.FindAsync(envId);
            env!.DeploymentStarted();
            env.DeploymentSucceeded(first.Id, "http://example.localhost/", settingsPending: false);
            return await db.SaveChangesAsync();
        });

        await Api.EnsureAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}",
            new { registryCredentials = Credentials(Password(), username: "rotated") }), HttpStatusCode.OK);
        Assert.Equal(EnvironmentSync.OutOfSync, portal.WithDb(db => db.Environments.AsNoTracking().Single(e => e.Id == envId)).Sync);

        await Api.EnsureAsync(await scenario.Member.PostAsJsonAsync($"/api/v1/apps/{app}/environments/dev/deployments", new { }), HttpStatusCode.Accepted);
        var second = portal.DeploymentsOf(envId)[1];
        Assert.Equal(("rotated", 2), (second.Snapshot.Registry!.Username, second.Snapshot.Registry.Version));
        var redeployed = await scenario.Member.PostAsJsonAsync($"/api/v1/deployments/{first.Id}/redeploy", new { reason = "back" });
        await Api.EnsureAsync(redeployed, HttpStatusCode.Accepted);
        var pinned = (await redeployed.JsonAsync()).GetProperty("snapshot").GetProperty("registryCredentials");
        Assert.Equal(("ci-bot", 1), (pinned.GetProperty("username").GetString(), pinned.GetProperty("version").GetInt32()));
        Assert.Equal(first.Snapshot.Registry.VersionId, portal.DeploymentsOf(envId)[2].Snapshot.Registry!.VersionId);
    }

    [Fact]
    public async Task An_environment_can_override_the_applications_credentials_and_drop_its_override_again()
    {
        var appPassword = Password();
        var envPassword = Password();
        var (scenario, app) = await portal.AppWithEnvironmentAsync(
            app: b => b["registryCredentials"] = Credentials(appPassword),
            environment: new { name = "dev", stage = "development", backend = "docker", registryCredentials = Credentials(envPassword, username: "env-bot") });
        var envId = portal.EnvironmentId(app, "dev");

        var first = Assert.Single(portal.DeploymentsOf(envId));
        Assert.Equal(("env-bot", true), (first.Snapshot.Registry!.Username, first.Snapshot.Registry.EnvironmentLevel));
        var shown = await (await scenario.Viewer.GetAsync($"/api/v1/apps/{app}/environments/dev")).JsonAsync();
        Assert.Equal("env-bot", shown.GetProperty("overrides").GetProperty("registryCredentials").GetProperty("username").GetString());
        var effective = shown.GetProperty("effective").GetProperty("registryCredentials");
        Assert.Equal(("env-bot", "environment"), (effective.GetProperty("username").GetString(), effective.GetProperty("source").GetString()));

        var dropped = await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}/environments/dev", new { registryCredentials = (object?)null });
        await Api.EnsureAsync(dropped, HttpStatusCode.OK);
        var after = (await dropped.JsonAsync()).GetProperty("effective").GetProperty("registryCredentials");
        Assert.Equal(("ci-bot", "application"), (after.GetProperty("username").GetString(), after.GetProperty("source").GetString()));
        var invalid = await Api.ErrorKeysAsync(await scenario.Member.PatchAsJsonAsync($"/api/v1/apps/{app}/environments/dev",
            new { registryCredentials = new { server = "https://x", username = "u", password = "p" } }));
        Assert.Equal(["registryCredentials.server"], invalid);

        var audit = await portal.RawTableTextAsync("audit_events");
        var stored = await portal.RawTableTextAsync("registry_credential_versions");
        Assert.Contains("env-bot", audit);
        foreach (var password in new[] { appPassword, envPassword })
        {
            Assert.DoesNotContain(password, audit);
            Assert.DoesNotContain(password, stored);
            Assert.DoesNotContain(password, shown.GetRawText());
        }
    }
}
