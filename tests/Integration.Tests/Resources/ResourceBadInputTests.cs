using System.Net;
using System.Text;
using System.Text.Json;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Resources;

/// <summary>Workloads whose resources are wrong in ways only the platform knows (issue #22's bad input): each is refused
/// when planned with a 422 naming the field, before anything is provisioned. Unknown types and classes:
/// <see cref="ResourcesApiTests"/>; quotas: <see cref="ResourceQuotaTests"/>.</summary>
public sealed class ResourceBadInputTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Params_a_type_does_not_take_are_refused_at_their_pointer()
    {
        var className = await CreateClassAsync("postgres");
        var (scenario, app) = await portal.AppWithEnvironmentAsync();

        var refused = await PlanAsync(scenario.Member, app, "postgres", className, "DATABASE_URL: ${resources.db.url}", "params: { version: \"16\" }");

        Assert.Equal(["Resource 'db': A postgres resource takes no params."], await ErrorsAtAsync(refused, "/resources/db/params/version"));
    }

    [Theory]
    [InlineData("postgres", "DB_HOST: ${resources.db.hostname}", "Resource 'db' (postgres) has no output 'hostname'; it has: database, host, name, password, port, url, username.")]
    [InlineData("redis", "CACHE: redis://${resources.db.host}:${resources.db.database}", "Resource 'db' (redis) has no output 'database'; it has: host, password, port, prefix, url, username.")]
    public async Task A_variable_taking_an_output_the_type_does_not_have_is_refused_at_the_variable(string type, string variable, string message)
    {
        var className = await CreateClassAsync(type);
        var (scenario, app) = await portal.AppWithEnvironmentAsync();

        var refused = await PlanAsync(scenario.Member, app, type, className, variable);

        var name = variable.Split(':')[0];
        Assert.Equal([message], await ErrorsAtAsync(refused, $"/containers/{app}/variables/{name}"));
    }

    private static async Task<IReadOnlyList<string?>> ErrorsAtAsync(HttpResponseMessage response, string pointer)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, body);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.True(errors.TryGetProperty(pointer, out var at), body);
        // Each message starts with the line and column of the field.
        return at.EnumerateArray().Select(e => e.GetString()?.Split(": ", 2)[1]).ToList();
    }

    private async Task<string> CreateClassAsync(string type)
    {
        var name = Unique.Name(type[..2]);
        var values = type == "postgres"
            ? new Dictionary<string, string> { ["host"] = "db.internal", ["port"] = "5432", ["username"] = "paddock_provisioner", ["database"] = "postgres" }
            : new Dictionary<string, string> { ["host"] = "cache.internal", ["port"] = "6379", ["username"] = "paddock-admin" };
        var secrets = new Dictionary<string, string> { ["password"] = "admin-pw" };
        var (created, _) = await portal.AdminClient().CallAsync(HttpMethod.Post, "/api/v1/resource-classes", new { type, name, values, secrets });
        await Api.EnsureAsync(created, HttpStatusCode.Created);
        return name;
    }

    private static Task<HttpResponseMessage> PlanAsync(HttpClient client, string app, string type, string className, string variable, string? extra = null) =>
        client.PostAsync($"{EnvironmentPath(app, "dev")}/plans", new StringContent(
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
                image: registry.example.com/shop/web:1.0
                variables:
                  {variable}
            resources:
              db:
                type: {type}
                class: {className}
                {extra ?? ""}
            """, Encoding.UTF8, "application/yaml"));
}
