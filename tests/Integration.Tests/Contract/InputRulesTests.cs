using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Identity;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Contract;

/// <summary>Postgres cannot store a NUL character: every kind of input that reaches the database answers 400
/// with the field named, never 500.</summary>
public sealed class InputRulesTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string Nul = "a\u0000b";

    public static TheoryData<string, string, string, string?> EveryKindOfInput() => new()
    {
        // kind, method, url ({team} and {app} are filled in), JSON body; the expected field follows from the kind.
        { "query:actor", "GET", "/api/v1/audit?actor=a%00b", null },
        { "query:action", "GET", "/api/v1/audit?action=a%00b*", null },
        { "query:team", "GET", "/api/v1/apps?team=a%00b", null },
        { "query:app", "GET", "/api/v1/teams/{team}/delivery?app=a%00b", null },
        { "query:from", "GET", "/api/v1/teams/{team}/delivery?from=2026-01-01%00", null },
        { "description", "POST", "/api/v1/apps", """{"name":"nul-desc","team":"{team}","image":"nginx:1","port":80,"description":"a\u0000b"}""" },
        { "command[1]", "POST", "/api/v1/apps", """{"name":"nul-cmd","team":"{team}","image":"nginx:1","port":80,"command":["sh","a\u0000b"]}""" },
        { "env.FOO", "POST", "/api/v1/apps", """{"name":"nul-env","team":"{team}","image":"nginx:1","port":80,"env":{"FOO":"a\u0000b"}}""" },
        { "secrets.A\\u0000B", "POST", "/api/v1/apps", """{"name":"nul-secret","team":"{team}","image":"nginx:1","port":80,"secrets":{"A\u0000B":"x"}}""" },
        { "env.BAR", "PATCH", "/api/v1/apps/{app}", """{"env":{"BAR":"a\u0000b"}}""" },
        { "description", "PATCH", "/api/v1/apps/{app}", """{"description":"a\u0000b"}""" },
        { "title", "POST", "/api/v1/tickets", """{"team":"{team}","key":"NUL-1","title":"a\u0000b"}""" },
        { "name", "POST", "/api/v1/me/tokens", """{"name":"a\u0000b"}""" },
        { "name", "POST", "/api/v1/teams/{team}/tokens", """{"name":"a\u0000b","scope":"Read"}""" },
        { "message", "POST", "/api/v1/apps/{app}/environments/dev/deployments", """{"message":"a\u0000b"}""" },
        { "tickets[0]", "POST", "/api/v1/apps/{app}/environments/dev/deployments", """{"tickets":["a\u0000b"]}""" },
        { "head_commit.message", "POST", "/api/v1/webhooks/github/00000000-0000-0000-0000-000000000001", """{"ref":"refs/heads/main","head_commit":{"message":"a\u0000b"}}""" },
        { "body", "POST", "/api/v1/tickets", "\"a\\u0000b\"" },
    };

    [Theory]
    [MemberData(nameof(EveryKindOfInput))]
    public async Task A_nul_character_in_any_input_is_a_400_naming_the_field(string kind, string method, string url, string? body)
    {
        var team = await TeamScenario.CreateAsync(portal);
        var app = (await team.CreateAppAsync(Unique.Name("app"))).GetProperty("name").GetString()!;
        var request = new HttpRequestMessage(new HttpMethod(method), url.Replace("{team}", team.TeamName).Replace("{app}", app));
        if (body is not null)
            request.Content = new StringContent(body.Replace("{team}", team.TeamName).Replace("{app}", app), Encoding.UTF8,
                method == "PATCH" ? "application/merge-patch+json" : "application/json");

        var response = await team.Owner.SendAsync(request);

        var field = kind.StartsWith("query:", StringComparison.Ordinal) ? kind["query:".Length..] : kind;
        Assert.Contains(field, await Api.ErrorKeysAsync(response));
    }

    [Fact]
    public async Task A_nul_character_in_a_form_field_is_a_400_naming_the_field()
    {
        var client = portal.ClientWithToken(null);
        var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["email"] = Nul,
            ["password"] = "x",
        }));

        Assert.Contains("email", await Api.ErrorKeysAsync(response));
    }

    [Fact]
    public async Task An_unauthenticated_request_with_a_nul_still_hears_401_first()
    {
        var response = await portal.ClientWithToken(null).GetAsync("/api/v1/apps?team=a%00b");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_json_body_without_nul_passes_the_rule_and_reaches_the_endpoint_intact()
    {
        var team = await TeamScenario.CreateAsync(portal);

        var app = await team.CreateAppAsync(Unique.Name("app"), body => body["env"] = new Dictionary<string, string> { ["FOO"] = "tab\there \\u0000 literal" });

        Assert.Equal("tab\there \\u0000 literal", app.GetProperty("env").GetProperty("FOO").GetString());
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/apps\u0000")]
    [InlineData("/apps\n")]
    public async Task A_return_url_with_a_control_character_signs_in_and_goes_home(string returnUrl)
    {
        var email = Unique.Email("login");
        await portal.CreateUserAsync(email);
        var session = new BrowserSession(portal);

        var response = await session.SignInAsync(email, "test-password-123", returnUrl);

        if (returnUrl.Contains('\0'))
        {
            Assert.Contains("returnUrl", await Api.ErrorKeysAsync(response));
            return;
        }
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("paddock.session=", StringComparison.Ordinal));
    }

    [Fact]
    public void The_json_path_of_a_nul_is_found_in_nested_objects_and_arrays()
    {
        Assert.Equal("a.b[2].c", Portal.Api.NulCharacterGuard.FindNul("""{"a":{"x":[1],"b":[0,{"c":"ok"},{"c":"\u0000"}]}}"""u8));
        Assert.Equal("[1]", Portal.Api.NulCharacterGuard.FindNul("""["x","\u0000"]"""u8));
        Assert.Null(Portal.Api.NulCharacterGuard.FindNul("""{"a":"\\u0000"}"""u8));
    }
}
