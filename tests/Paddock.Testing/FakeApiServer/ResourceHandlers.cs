using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Paddock.Testing.FakeApiServer;

/// <summary>GET, LIST, WATCH, server-side-apply PATCH, DELETE and the pod log subresource, over the store.</summary>
internal sealed class ResourceHandlers(ObjectStore store, FakeController controller, ConcurrentQueue<string> unimplemented)
{
    public Task Get(HttpContext http, ResourceType type, string ns, string name) =>
        store.Get(type, ns, name) is { } item ? Respond.Json(http, 200, item) : Respond.NotFound(http, type, name);

    public async Task ListOrWatch(HttpContext http, ResourceType type, string? ns)
    {
        LabelSelector selector;
        try
        {
            selector = LabelSelector.Parse(http.Request.Query["labelSelector"]);
        }
        catch (NotSupportedException e)
        {
            unimplemented.Enqueue($"{http.Request.Path}{http.Request.QueryString}: {e.Message}");
            await Respond.Status(http, 400, "BadRequest", e.Message);
            return;
        }
        if (http.Request.Query["watch"] is ["true" or "1"])
        {
            await WatchAsync(http, type, ns, selector);
            return;
        }
        var (items, version) = store.List(type, ns, selector);
        await Respond.Json(http, 200, new JsonObject
        {
            ["kind"] = type.ListKind,
            ["apiVersion"] = type.ApiVersion,
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
            ["items"] = new JsonArray([.. items]),
        });
    }

    /// <summary>Newline-delimited JSON events, each written and flushed on its own. A resourceVersion older than
    /// the kept history gets the real server's answer: HTTP 200 with one ERROR event carrying a 410 "Expired" Status.</summary>
    private async Task WatchAsync(HttpContext http, ResourceType type, string? ns, LabelSelector selector)
    {
        var from = long.TryParse(http.Request.Query["resourceVersion"], CultureInfo.InvariantCulture, out var parsed) ? parsed : (long?)null;
        var subscription = store.Watch(type, ns, selector, from);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        if (int.TryParse(http.Request.Query["timeoutSeconds"], CultureInfo.InvariantCulture, out var seconds))
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        http.Response.StatusCode = 200;
        http.Response.ContentType = "application/json";
        try
        {
            if (subscription.Replay is null)
            {
                await WriteLineAsync(http, new JsonObject
                {
                    ["type"] = "ERROR",
                    ["object"] = Respond.StatusObject(410, "Expired", $"too old resource version: {from} ({store.ResourceVersion})"),
                }, timeout.Token);
                return;
            }
            await http.Response.StartAsync(timeout.Token);
            await http.Response.Body.FlushAsync(timeout.Token);
            foreach (var change in subscription.Replay)
                await WriteLineAsync(http, Event(change), timeout.Token);
            await foreach (var change in subscription.Live.ReadAllAsync(timeout.Token))
                await WriteLineAsync(http, Event(change), timeout.Token);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
        finally
        {
            subscription.Unsubscribe();
        }
    }

    private static JsonObject Event(StoreEvent change) => new() { ["type"] = change.Type, ["object"] = change.Object };

    private static async Task WriteLineAsync(HttpContext http, JsonObject line, CancellationToken ct)
    {
        await http.Response.WriteAsync(line.ToJsonString() + "\n", ct);
        await http.Response.Body.FlushAsync(ct);
    }

    public async Task Apply(HttpContext http, ResourceType type, string ns, string name)
    {
        var contentType = http.Request.ContentType ?? "";
        if (!contentType.StartsWith("application/apply-patch+yaml", StringComparison.Ordinal))
        {
            unimplemented.Enqueue($"PATCH {http.Request.Path}: patch type '{contentType}' (only server-side apply is implemented)");
            await Respond.Status(http, 415, "UnsupportedMediaType", $"the fake implements only application/apply-patch+yaml, not {contentType}");
            return;
        }
        var manager = http.Request.Query["fieldManager"].ToString();
        if (manager.Length == 0)
        {
            await Respond.Status(http, 422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
            return;
        }
        var force = http.Request.Query["force"] is ["true"];

        JsonObject applied;
        try
        {
            // KubernetesClient sends the applied configuration as JSON, which is YAML too; YAML block syntax is not parsed.
            applied = (await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted))!.AsObject();
        }
        catch (JsonException e)
        {
            unimplemented.Enqueue($"PATCH {http.Request.Path}: body is not JSON ({e.Message}); the fake does not parse YAML");
            await Respond.Status(http, 400, "BadRequest", "the fake parses apply bodies in JSON form only");
            return;
        }
        if (applied["apiVersion"]?.GetValue<string>() != type.ApiVersion || applied["kind"]?.GetValue<string>() != type.Kind)
        {
            await Respond.Status(http, 400, "BadRequest", $"apiVersion/kind must be {type.ApiVersion}/{type.Kind} for {type.Plural}");
            return;
        }
        if (applied["metadata"]?["name"]?.GetValue<string>() != name)
        {
            await Respond.Status(http, 400, "BadRequest", "the name of the object does not match the name on the URL");
            return;
        }
        if (type.Namespaced && NamespaceRefusal(ns) is { } refusal)
        {
            await Respond.Status(http, refusal.Code, refusal.Reason, refusal.Message);
            return;
        }

        var (result, conflicts, created) = store.Apply(type, ns, name, applied, manager, force);
        if (conflicts.Count > 0)
        {
            var causes = new JsonArray([.. conflicts.Select(c => (JsonNode)new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = $"conflict with \"{c.Manager}\"",
                ["field"] = ServerSideApply.Display(c.Path),
            })]);
            var list = string.Join(", ", conflicts.Select(c => $"conflict with \"{c.Manager}\": {ServerSideApply.Display(c.Path)}"));
            await Respond.Status(http, 409, "Conflict", $"Apply failed with {conflicts.Count} conflict(s): {list}",
                new JsonObject { ["name"] = name, ["kind"] = type.Plural, ["causes"] = causes });
            return;
        }
        await Respond.Json(http, created ? 201 : 200, result!);
    }

    /// <summary>Why nothing can be created in <paramref name="ns"/>: it does not exist, or it is being deleted.</summary>
    private (int Code, string Reason, string Message)? NamespaceRefusal(string ns)
    {
        var found = store.Get(ResourceTypes.Namespaces, "", ns);
        if (found is null) return (404, "NotFound", $"namespaces \"{ns}\" not found");
        if (found["metadata"]?["deletionTimestamp"] is not null)
            return (403, "Forbidden", $"unable to create new content in namespace {ns} because it is being terminated");
        return null;
    }

    public async Task Delete(HttpContext http, ResourceType type, string ns, string name)
    {
        var item = store.Get(type, ns, name);
        if (item is null || !store.Delete(type, ns, name))
        {
            await Respond.NotFound(http, type, name);
            return;
        }
        await Respond.Json(http, 200, item);
    }

    /// <summary>Marks the namespace Terminating; the controller removes it and its contents a little later.</summary>
    public async Task DeleteNamespace(HttpContext http, string name)
    {
        var updated = store.Update(ResourceTypes.Namespaces, "", name, ns =>
        {
            var metadata = ObjectStore.Metadata(ns);
            metadata["deletionTimestamp"] ??= ObjectStore.Now();
            ns["status"] = new JsonObject { ["phase"] = "Terminating" };
        });
        if (updated is null) await Respond.NotFound(http, ResourceTypes.Namespaces, name);
        else await Respond.Json(http, 200, updated);
    }

    /// <summary>The log subresource: plain text, <c>tailLines</c>, <c>timestamps</c>, and <c>follow</c> (new lines
    /// until the pod is deleted or the client goes away). A container that never started answers 400, as the real one does.</summary>
    public async Task Logs(HttpContext http, string ns, string name)
    {
        var pod = store.Get(ResourceTypes.Pods, ns, name);
        if (pod is null)
        {
            await Respond.NotFound(http, ResourceTypes.Pods, name);
            return;
        }
        var container = pod["spec"]?["containers"]?[0]?["name"]?.GetValue<string>() ?? "";
        var containers = (pod["spec"]?["containers"]?.AsArray() ?? []).Select(c => c?["name"]?.GetValue<string>() ?? "").ToList();
        if (http.Request.Query["container"] is [{ } asked] && asked != container)
        {
            // Only the first container writes logs here; asking for another is refused loudly rather than answered empty.
            await Respond.Status(http, 400, "BadRequest", $"container {asked} is not valid for pod {name} (the fake keeps the first container's logs only)");
            return;
        }
        if (containers.Count > 1 && http.Request.Query["container"].Count == 0)
        {
            await Respond.Status(http, 400, "BadRequest",
                $"a container name must be specified for pod {name}, choose one of: [{string.Join(" ", containers)}]");
            return;
        }
        var lines = controller.LogsOf(ns, name);
        if (lines.Count == 0 && pod["status"]?["containerStatuses"]?[0]?["state"]?["running"] is null)
        {
            await Respond.Status(http, 400, "BadRequest", $"container \"{container}\" in pod \"{name}\" is waiting to start");
            return;
        }
        var timestamps = http.Request.Query["timestamps"] is ["true"];
        var follow = http.Request.Query["follow"] is ["true"];
        var tail = int.TryParse(http.Request.Query["tailLines"], CultureInfo.InvariantCulture, out var t) ? t : int.MaxValue;
        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain";
        var written = Math.Max(0, lines.Count - tail);
        try
        {
            do
            {
                lines = controller.LogsOf(ns, name);
                for (; written < lines.Count; written++)
                {
                    var (at, text) = lines[written];
                    var prefix = timestamps ? at.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture) + " " : "";
                    await http.Response.WriteAsync(prefix + text + "\n", http.RequestAborted);
                }
                await http.Response.Body.FlushAsync(http.RequestAborted);
                if (!follow) break;
                await Task.Delay(50, http.RequestAborted);
            }
            while (store.Get(ResourceTypes.Pods, ns, name) is not null);
        }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }
}
