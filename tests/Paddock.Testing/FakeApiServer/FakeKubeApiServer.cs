using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Paddock.Testing.FakeApiServer;

/// <summary>
/// A fake Kubernetes API server on 127.0.0.1 (port 0) for tests: the real REST paths of the objects Paddock
/// uses, bearer-token authentication, and <see cref="FakeController"/> playing the cluster's controllers.
/// Anything it does not implement (a path, a verb, a query parameter, a patch type) is recorded in
/// <see cref="Unimplemented"/> and answered 404/405/400; <see cref="AssertNothingUnimplemented"/> fails the test on it,
/// so a backend can never pass by reading "404" as "not there, so create it". See README.md for the exact list.
/// </summary>
public sealed class FakeKubeApiServer : IAsyncDisposable
{
    private static readonly HashSet<string> KnownQuery =
    [
        "watch", "resourceVersion", "labelSelector", "allowWatchBookmarks", "timeoutSeconds",
        "fieldManager", "force", "container", "follow", "tailLines", "timestamps", "propagationPolicy",
    ];

    private readonly WebApplication _app;

    private FakeKubeApiServer(WebApplication app, FakeClusterOptions options, ObjectStore store, FakeController controller)
    {
        _app = app;
        Options = options;
        Store = store;
        Controller = controller;
    }

    public FakeClusterOptions Options { get; }
    public ObjectStore Store { get; }
    public FakeController Controller { get; }
    public Uri Address { get; private set; } = null!;

    /// <summary>Requests the fake does not implement, as "VERB path?query: why".</summary>
    public ConcurrentQueue<string> Unimplemented { get; } = new();

    /// <summary>Every request, as "VERB path?query", for tests that check what a backend asked.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    public static async Task<FakeKubeApiServer> StartAsync(FakeClusterOptions? options = null)
    {
        options ??= new FakeClusterOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var store = new ObjectStore();
        var controller = new FakeController(store, options);
        var server = new FakeKubeApiServer(app, options, store, controller);
        server.Map();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address);
        return server;
    }

    /// <summary>A kubeconfig that points at this server with <paramref name="token"/> (the right one by default).</summary>
    public string Kubeconfig(string? token = null) => KubeconfigFor(Address, token ?? Options.Token);

    public static string KubeconfigFor(Uri server, string token) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: {server.ToString().TrimEnd('/')}
        users:
        - name: paddock
          user:
            token: {token}
        contexts:
        - name: fake
          context:
            cluster: fake
            user: paddock
        current-context: fake
        """;

    public void AssertNothingUnimplemented()
    {
        var problems = Unimplemented.Concat(Controller.Errors).ToList();
        Assert.True(problems.Count == 0, "The fake API server was asked for what it does not implement:\n" + string.Join("\n", problems));
    }

    private void Map()
    {
        _app.Use(async (http, next) =>
        {
            var request = $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}";
            Requests.Enqueue(request);
            if (http.Request.Headers.Authorization.ToString() != $"Bearer {Options.Token}")
            {
                await Respond.Status(http, 401, "Unauthorized", "Unauthorized");
                return;
            }
            if (http.Request.Query.Keys.FirstOrDefault(k => !KnownQuery.Contains(k)) is { } unknown)
            {
                Unimplemented.Enqueue($"{request}: query parameter '{unknown}'");
                await Respond.Status(http, 400, "BadRequest", $"the fake does not implement '{unknown}'");
                return;
            }
            await next(http);
            if (http.Response.StatusCode == 405) Unimplemented.Enqueue($"{request}: verb not implemented on this path");
        });

        var handlers = new ResourceHandlers(Store, Controller, Unimplemented);
        _app.MapGet("/version", () => Results.Text(new JsonObject
        {
            ["major"] = "1",
            ["minor"] = "31",
            ["gitVersion"] = Options.GitVersion,
            ["platform"] = "linux/amd64",
        }.ToJsonString(), "application/json"));

        // Namespaces are cluster-scoped.
        _app.MapGet("/api/v1/namespaces", http => handlers.ListOrWatch(http, ResourceTypes.Namespaces, null));
        _app.MapGet("/api/v1/namespaces/{name}", (HttpContext http, string name) => handlers.Get(http, ResourceTypes.Namespaces, "", name));
        _app.MapMethods("/api/v1/namespaces/{name}", ["PATCH"], (HttpContext http, string name) => handlers.Apply(http, ResourceTypes.Namespaces, "", name));
        _app.MapDelete("/api/v1/namespaces/{name}", (HttpContext http, string name) => handlers.DeleteNamespace(http, name));

        // Namespaced kinds of the core group, and of named groups (apps/v1, networking.k8s.io/v1).
        MapNamespaced("/api/{version}", route => "v1", handlers);
        MapNamespaced("/apis/{group}/{version}", route => $"{route["group"]}/{route["version"]}", handlers);
        _app.MapGet("/api/v1/namespaces/{ns}/pods/{name}/log", (HttpContext http, string ns, string name) => handlers.Logs(http, ns, name));

        _app.MapFallback(async http =>
        {
            Unimplemented.Enqueue($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}: path not implemented");
            await Respond.Status(http, 404, "NotFound", "the fake API server does not implement this path");
        });
    }

    private void MapNamespaced(string prefix, Func<RouteValueDictionary, string> apiVersion, ResourceHandlers handlers)
    {
        ResourceType? Type(HttpContext http)
        {
            var version = apiVersion(http.Request.RouteValues);
            if (prefix.StartsWith("/api/", StringComparison.Ordinal) && (string?)http.Request.RouteValues["version"] != "v1") return null;
            return ResourceTypes.Find(version, (string)http.Request.RouteValues["plural"]!);
        }
        Task Unknown(HttpContext http)
        {
            Unimplemented.Enqueue($"{http.Request.Method} {http.Request.Path}: resource not implemented");
            return Respond.Status(http, 404, "NotFound", "the fake API server does not implement this resource");
        }

        _app.MapGet(prefix + "/{plural}", http =>
            Type(http) is { } type ? handlers.ListOrWatch(http, type, null) : Unknown(http));
        _app.MapGet(prefix + "/namespaces/{ns}/{plural}", (HttpContext http, string ns) =>
            Type(http) is { } type ? handlers.ListOrWatch(http, type, ns) : Unknown(http));
        _app.MapGet(prefix + "/namespaces/{ns}/{plural}/{name}", (HttpContext http, string ns, string name) =>
            Type(http) is { } type ? handlers.Get(http, type, ns, name) : Unknown(http));
        _app.MapMethods(prefix + "/namespaces/{ns}/{plural}/{name}", ["PATCH"], (HttpContext http, string ns, string name) =>
            Type(http) is { } type ? handlers.Apply(http, type, ns, name) : Unknown(http));
        _app.MapDelete(prefix + "/namespaces/{ns}/{plural}/{name}", (HttpContext http, string ns, string name) =>
            Type(http) is { } type ? handlers.Delete(http, type, ns, name) : Unknown(http));
    }

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2))) await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
