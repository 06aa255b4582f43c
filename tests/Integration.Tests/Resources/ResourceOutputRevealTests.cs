using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Resources;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Audit;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence.Secrets;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Resources;

/// <summary><c>POST …/resources/{name}/outputs/{output}/reveal</c>: a member gets a secret output's value (decrypted,
/// not cached), every reveal is audited without the value, and whoever is not a member of the app's team gets nothing.</summary>
public sealed class ResourceOutputRevealTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string Password = "s3cret-db-password-for-reveal";

    private static string RevealPath(string app, string resource, string output) =>
        $"{EnvironmentPath(app, "dev")}/resources/{resource}/outputs/{output}/reveal";

    [Fact]
    public async Task A_member_reveals_a_secret_output_uncached_and_the_audit_entry_names_it_without_the_value()
    {
        var (scenario, app) = await AppWithDatabaseAsync();

        var (revealed, call) = await scenario.Member.CallAsync(HttpMethod.Post, RevealPath(app, "db", "password"));

        await Api.EnsureAsync(revealed, HttpStatusCode.OK);
        Assert.Equal(Password, (await revealed.JsonAsync()).GetProperty("value").GetString());
        Assert.True(revealed.Headers.CacheControl?.NoStore, $"Cache-Control: {revealed.Headers.CacheControl}");
        var entry = Assert.Single(portal.AuditOf(call));
        Assert.Equal("resource.output_revealed", entry.Action);
        Assert.Equal(scenario.MemberName, entry.ActorName);
        using (var after = JsonDocument.Parse(entry.After!))
        {
            Assert.Equal("dev", after.RootElement.GetProperty("environment").GetString());
            Assert.Equal("db", after.RootElement.GetProperty("resource").GetString());
            Assert.Equal("password", after.RootElement.GetProperty("output").GetString());
            Assert.True(after.RootElement.GetProperty("secret").GetBoolean());
        }
        Assert.DoesNotContain(Password, await portal.RawTableTextAsync("audit_events"));
        Assert.True((await AuditTestData.VerifyAsync(portal)).GetProperty("valid").GetBoolean());

        // The list still masks it.
        var listed = await (await scenario.Member.GetAsync($"{EnvironmentPath(app, "dev")}/resources")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Password, listed);
    }

    [Fact]
    public async Task A_value_output_is_answered_as_it_is_and_audited_as_a_reveal()
    {
        var (scenario, app) = await AppWithDatabaseAsync();

        var (revealed, call) = await scenario.Owner.CallAsync(HttpMethod.Post, RevealPath(app, "db", "host"));

        await Api.EnsureAsync(revealed, HttpStatusCode.OK);
        Assert.Equal("db.internal", (await revealed.JsonAsync()).GetProperty("value").GetString());
        Assert.Equal(["resource.output_revealed"], portal.AuditOf(call).Select(e => e.Action));
    }

    [Fact]
    public async Task Viewers_and_team_tokens_are_refused_and_another_teams_member_finds_nothing()
    {
        var (scenario, app) = await AppWithDatabaseAsync();
        var other = await TeamScenario.CreateAsync(portal);
        var before = portal.WithDb(db => db.AuditEvents.Count(e => e.Action == "resource.output_revealed"));

        foreach (var (client, expected) in new[]
        {
            (scenario.Viewer, HttpStatusCode.Forbidden),
            (await scenario.TeamTokenClientAsync(TokenScope.Deploy), HttpStatusCode.Forbidden),
            (await scenario.TeamTokenClientAsync(TokenScope.Read), HttpStatusCode.Forbidden),
            (other.Member, HttpStatusCode.NotFound),
        })
        {
            var (refused, _) = await client.CallAsync(HttpMethod.Post, RevealPath(app, "db", "password"));
            await Api.EnsureAsync(refused, expected);
            Assert.DoesNotContain(Password, await refused.Content.ReadAsStringAsync());
        }
        Assert.Equal(before, portal.WithDb(db => db.AuditEvents.Count(e => e.Action == "resource.output_revealed")));
    }

    [Fact]
    public async Task An_unknown_resource_or_output_answers_404_naming_it()
    {
        var (scenario, app) = await AppWithDatabaseAsync();

        var (noResource, _) = await scenario.Member.CallAsync(HttpMethod.Post, RevealPath(app, "cache", "password"));
        await Api.EnsureAsync(noResource, HttpStatusCode.NotFound);
        Assert.Equal("application/problem+json", noResource.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Resource 'cache'", (await noResource.JsonAsync()).GetProperty("detail").GetString());

        var (noOutput, _) = await scenario.Member.CallAsync(HttpMethod.Post, RevealPath(app, "db", "hostname"));
        await Api.EnsureAsync(noOutput, HttpStatusCode.NotFound);
        var detail = (await noOutput.JsonAsync()).GetProperty("detail").GetString();
        Assert.Contains("Output 'hostname' of resource 'db'", detail);
        Assert.Contains("host, password", detail);
    }

    /// <summary>An app whose dev environment holds a ready database "db", as a worker records one: a value output and
    /// a secret one, encrypted.</summary>
    private async Task<(TeamScenario Scenario, string App)> AppWithDatabaseAsync()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        var protector = portal.Services.GetRequiredService<SecretProtector>();
        await portal.WithDbAsync(async db =>
        {
            const string resourceId = "postgres.default#app.db";
            var row = new EnvironmentResource(envId, "db", "postgres", "default", resourceId, ResourceUid.For(envId, resourceId), 0, DateTime.UtcNow);
            row.Ready(new Dictionary<string, string> { ["host"] = "db.internal" },
                new Dictionary<string, string> { ["password"] = protector.Protect(Password) }, null, DateTime.UtcNow);
            db.EnvironmentResources.Add(row);
            return await db.SaveChangesAsync();
        });
        return (scenario, app);
    }
}
