using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Paddock.Testing.FakeApiServer;

namespace Paddock.Backends.Kubernetes.Tests.FakeApiServer;

/// <summary>The fake's own promises, checked over raw HTTP so they do not depend on the backend under test.</summary>
public sealed class FakeApiServerTests : IAsyncLifetime
{
    private FakeKubeApiServer _server = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeKubeApiServer.StartAsync();
        _http = new HttpClient { BaseAddress = _server.Address };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _server.Options.Token);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_request_for_something_the_fake_does_not_implement_is_recorded_so_the_test_fails()
    {
        var response = await _http.GetAsync("/apis/batch/v1/namespaces/x/jobs");
        await _http.GetAsync("/api/v1/namespaces/x/pods?fieldSelector=status.phase%3DRunning");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(2, _server.Unimplemented.Count);
        Assert.ThrowsAny<Exception>(_server.AssertNothingUnimplemented);
    }

    [Fact]
    public async Task A_wrong_token_is_answered_401()
    {
        using var stranger = new HttpClient { BaseAddress = _server.Address };
        stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/version")).StatusCode);
    }

    [Fact]
    public async Task Applying_a_field_another_manager_owns_conflicts_unless_forced()
    {
        await ApplyAsync("/api/v1/namespaces/demo", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo"}}""", "a");
        const string path = "/api/v1/namespaces/demo/configmaps/c";
        Assert.Equal(HttpStatusCode.Created, (await ApplyAsync(path, ConfigMap("one"), "a")).StatusCode);

        var conflict = await ApplyAsync(path, ConfigMap("two"), "b");
        var status = JsonNode.Parse(await conflict.Content.ReadAsStringAsync())!;
        var forced = await ApplyAsync(path, ConfigMap("two"), "b", force: true);

        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal(".data.key", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Equal(["b"], _server.Store.Owners(ResourceTypes.ConfigMaps, "demo", "c")["data.key"]);
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resource_version_gets_an_expired_error_event()
    {
        await ApplyAsync("/api/v1/namespaces/demo", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo"}}""", "a");
        _server.Store.Compact();

        var body = await _http.GetStringAsync("/api/v1/namespaces?watch=true&resourceVersion=1");
        var error = JsonNode.Parse(body.Trim())!;

        Assert.Equal("ERROR", error["type"]!.GetValue<string>());
        Assert.Equal(410, error["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", error["object"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_deleted_namespace_is_terminating_refuses_new_content_and_then_vanishes_with_its_objects()
    {
        await ApplyAsync("/api/v1/namespaces/demo", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo"}}""", "a");
        await ApplyAsync("/api/v1/namespaces/demo/configmaps/c", ConfigMap("one"), "a");

        await _http.DeleteAsync("/api/v1/namespaces/demo");
        var refused = await ApplyAsync("/api/v1/namespaces/demo/configmaps/d", ConfigMap("one").Replace("\"c\"", "\"d\""), "a");

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("Terminating", _server.Store.Get(ResourceTypes.Namespaces, "", "demo")!["status"]!["phase"]!.GetValue<string>());
        await Task.Delay(_server.Options.NamespaceTerminationDelay * 3);
        Assert.Null(_server.Store.Get(ResourceTypes.Namespaces, "", "demo"));
        Assert.Empty(_server.Store.Contents("demo"));
    }

    private static string ConfigMap(string value) =>
        new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "c", ["namespace"] = "demo" },
            ["data"] = new JsonObject { ["key"] = value },
        }.ToJsonString();

    private Task<HttpResponseMessage> ApplyAsync(string path, string body, string manager, bool force = false)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/apply-patch+yaml");
        return _http.PatchAsync($"{path}?fieldManager={manager}{(force ? "&force=true" : "")}", content);
    }
}
