using System.Net;
using System.Net.Http.Json;
using System.Text;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Portal.Features.Applications;

namespace Paddock.Integration.Tests.Contract;

/// <summary>Every 400 names its fields in <c>errors</c>, keyed by JSON path, whether the framework or a service refused it.</summary>
public sealed class ValidationAnswersTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static StringContent Json(string json, string mediaType = "application/json") => new(json, Encoding.UTF8, mediaType);

    public static TheoryData<string, string, string, string> BadBodies() => new()
    {
        // expected field, method, url ({team}/{app} filled in), body
        { "body", "POST", "/api/v1/apps", """{"name": "x", """ },
        { "body", "PATCH", "/api/v1/apps/{app}", """{"description": """ },
        { "port", "POST", "/api/v1/apps", """{"name":"typed","team":"{team}","image":"nginx:1","port":"eighty"}""" },
        { "port", "POST", "/api/v1/apps", """{"name":"big-port","team":"{team}","image":"nginx:1","port":99999999999}""" },
        { "port", "POST", "/api/v1/apps", """{"name":"high-port","team":"{team}","image":"nginx:1","port":70000}""" },
        { "env.FOO", "POST", "/api/v1/apps", """{"name":"env-num","team":"{team}","image":"nginx:1","port":80,"env":{"FOO":5}}""" },
        { "command", "POST", "/api/v1/apps", """{"name":"cmd-str","team":"{team}","image":"nginx:1","port":80,"command":"sh -c x"}""" },
        { "colour", "POST", "/api/v1/apps", """{"name":"unknown","team":"{team}","image":"nginx:1","port":80,"colour":"red"}""" },
        { "healthCheck.bogus", "POST", "/api/v1/apps", """{"name":"nested","team":"{team}","image":"nginx:1","port":80,"healthCheck":{"type":"http","bogus":1}}""" },
        { "colour", "POST", "/api/v1/apps/{app}/environments", """{"name":"dev","stage":"Development","backend":"docker","colour":"red"}""" },
        { "colour", "POST", "/api/v1/teams/{team}/tokens", """{"name":"ci","scope":"Read","colour":"red"}""" },
        { "colour", "PATCH", "/api/v1/apps/{app}", """{"colour":"red"}""" },
        { "body", "POST", "/api/v1/apps", "" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_400_whose_errors_name_the_field(string field, string method, string url, string body)
    {
        var team = await TeamScenario.CreateAsync(portal);
        var app = (await team.CreateAppAsync(Unique.Name("app"))).GetProperty("name").GetString()!;
        var request = new HttpRequestMessage(new HttpMethod(method), url.Replace("{team}", team.TeamName).Replace("{app}", app))
        {
            Content = Json(body.Replace("{team}", team.TeamName).Replace("{app}", app), method == "PATCH" ? "application/merge-patch+json" : "application/json"),
        };

        var response = await team.Owner.SendAsync(request);

        Assert.Contains(field, await Api.ErrorKeysAsync(response));
    }

    [Fact]
    public async Task A_query_parameter_of_the_wrong_type_is_a_400_naming_it()
    {
        var team = await TeamScenario.CreateAsync(portal);

        var response = await team.Owner.GetAsync("/api/v1/audit?pageSize=many");

        Assert.Contains("pageSize", await Api.ErrorKeysAsync(response));
    }

    [Fact]
    public async Task Variables_and_secrets_over_64_KiB_together_are_refused_on_create()
    {
        var team = await TeamScenario.CreateAsync(portal);
        var body = team.AppBody(Unique.Name("app"), b =>
        {
            b["env"] = new Dictionary<string, string> { ["A"] = new('a', 30_000), ["B"] = new('b', 30_000) };
            b["secrets"] = new Dictionary<string, string> { ["C"] = new('c', 10_000) };
        });

        var response = await team.Member.PostAsJsonAsync("/api/v1/apps", body);

        var keys = await Api.ErrorKeysAsync(response);
        Assert.Contains("env", keys);
        Assert.Contains("secrets", keys);
    }

    [Fact]
    public async Task A_patch_that_would_take_an_app_over_the_limit_is_refused_while_one_under_it_passes()
    {
        var team = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("app");
        await team.CreateAppAsync(app, b => b["secrets"] = new Dictionary<string, string> { ["KEY"] = new('k', 30_000) });

        var (over, _) = await team.Member.CallAsync(HttpMethod.Patch, $"/api/v1/apps/{app}",
            new { env = new Dictionary<string, string> { ["A"] = new('a', 30_000), ["B"] = new('b', 6_000) } });
        var (under, _) = await team.Member.CallAsync(HttpMethod.Patch, $"/api/v1/apps/{app}",
            new { env = new Dictionary<string, string> { ["A"] = new('a', 30_000) } });

        Assert.Contains("env", await Api.ErrorKeysAsync(over));
        await Api.EnsureAsync(under, HttpStatusCode.OK);
        Assert.True(30_000 + 30_000 + "KEY".Length + "A".Length <= VariableBudget.MaxTotalLength);
    }

    [Fact]
    public async Task An_environments_own_variables_and_secrets_are_held_to_the_same_limit()
    {
        var team = await TeamScenario.CreateAsync(portal);
        var app = Unique.Name("app");
        await team.CreateAppAsync(app);

        var response = await team.Member.PostAsJsonAsync($"/api/v1/apps/{app}/environments", new
        {
            name = "dev",
            stage = "Development",
            backend = "docker",
            env = new Dictionary<string, string> { ["A"] = new('a', 30_000) },
            secrets = new Dictionary<string, string> { ["B"] = new('b', 30_000), ["C"] = new('c', 30_000) },
        });

        Assert.Contains("secrets", await Api.ErrorKeysAsync(response));
    }
}
