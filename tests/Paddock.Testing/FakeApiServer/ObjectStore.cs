using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Paddock.Testing.FakeApiServer;

/// <summary>A change to one object, as a watch sends it.</summary>
public sealed record StoreEvent(long ResourceVersion, string Type, ResourceType Resource, string Namespace, JsonObject Object);

/// <summary>The outcome of a watch request: events to replay, then a live feed; or null events when the requested
/// resourceVersion is older than the history the store kept (the real API answers "410 Expired").</summary>
public sealed record Subscription(IReadOnlyList<StoreEvent>? Replay, ChannelReader<StoreEvent> Live, Action Unsubscribe);

/// <summary>
/// The fake's etcd: every object as JSON, one global resourceVersion counter, a bounded history of changes for
/// watches to resume from, and the per-field owners of server-side apply. All methods take one lock, so the
/// controller and request handlers see consistent snapshots.
/// </summary>
public sealed class ObjectStore
{
    private const int HistoryLimit = 5000;

    private readonly object _gate = new();
    private readonly Dictionary<(string Plural, string Namespace, string Name), JsonObject> _objects = [];
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _ownersByUid = [];
    private readonly List<StoreEvent> _history = [];
    private readonly List<(ResourceType Type, string? Namespace, LabelSelector Selector, Channel<StoreEvent> Channel)> _watchers = [];
    private long _resourceVersion = 100;
    private long _compactedThrough = 100;

    /// <summary>What the store did with watches and compactions, in order: for a test's failure message.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> WatchLog { get; } = new();

    /// <summary>Raised (outside the lock) after every change, so the controller reacts without polling.</summary>
    public event Action? Changed;

    public long ResourceVersion
    {
        get { lock (_gate) return _resourceVersion; }
    }

    public JsonObject? Get(ResourceType type, string ns, string name)
    {
        lock (_gate) return _objects.GetValueOrDefault((type.Plural, ns, name))?.DeepClone().AsObject();
    }

    public (List<JsonObject> Items, long ResourceVersion) List(ResourceType type, string? ns, LabelSelector selector)
    {
        lock (_gate)
        {
            var items = _objects
                .Where(o => o.Key.Plural == type.Plural && (ns is null || o.Key.Namespace == ns) && selector.Matches(o.Value))
                .OrderBy(o => o.Key.Namespace, StringComparer.Ordinal).ThenBy(o => o.Key.Name, StringComparer.Ordinal)
                .Select(o => o.Value.DeepClone().AsObject())
                .ToList();
            return (items, _resourceVersion);
        }
    }

    /// <summary>Stores a new object, filling uid, creationTimestamp, generation and resourceVersion.</summary>
    public JsonObject Create(ResourceType type, string ns, JsonObject item)
    {
        try
        {
            lock (_gate) return CreateLocked(type, ns, item);
        }
        finally { Changed?.Invoke(); }
    }

    private JsonObject CreateLocked(ResourceType type, string ns, JsonObject item)
    {
        {
            var metadata = Metadata(item);
            var name = metadata["name"]!.GetValue<string>();
            metadata["namespace"] = type.Namespaced ? ns : null;
            if (!type.Namespaced) metadata.Remove("namespace");
            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Now();
            metadata["generation"] = 1L;
            item["apiVersion"] = type.ApiVersion;
            item["kind"] = type.Kind;
            _objects[(type.Plural, ns, name)] = item;
            Record("ADDED", type, ns, item);
            return item.DeepClone().AsObject();
        }
    }

    /// <summary>Changes an object in place (no field manager takes ownership: the controller writing status, or a
    /// test simulating an edit outside server-side apply). Writes nothing when <paramref name="change"/> changed nothing.</summary>
    public JsonObject? Update(ResourceType type, string ns, string name, Action<JsonObject> change)
    {
        var changed = false;
        try
        {
            lock (_gate)
            {
                if (!_objects.TryGetValue((type.Plural, ns, name), out var live)) return null;
                var before = live.DeepClone();
                change(live);
                if (JsonNode.DeepEquals(before, live)) return live.DeepClone().AsObject();
                if (!JsonNode.DeepEquals(before["spec"], live["spec"]))
                    Metadata(live)["generation"] = Number(Metadata(live)["generation"]) + 1;
                Record("MODIFIED", type, ns, live);
                changed = true;
                return live.DeepClone().AsObject();
            }
        }
        finally { if (changed) Changed?.Invoke(); }
    }

    /// <summary>Server-side apply of <paramref name="applied"/> by <paramref name="manager"/>; creates the object when
    /// it does not exist. Returns the conflicts instead of applying when there are some and force is not set.</summary>
    public (JsonObject? Result, IReadOnlyList<FieldConflict> Conflicts, bool Created) Apply(
        ResourceType type, string ns, string name, JsonObject applied, string manager, bool force)
    {
        var created = false;
        lock (_gate)
        {
            if (!_objects.TryGetValue((type.Plural, ns, name), out var live))
            {
                live = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } };
                created = true;
            }
            var uid = created ? null : Metadata(live)["uid"]!.GetValue<string>();
            var owners = uid is not null && _ownersByUid.TryGetValue(uid, out var known) ? Copy(known) : [];
            var candidate = live.DeepClone().AsObject();
            var conflicts = ServerSideApply.Apply(candidate, applied, owners, manager, force);
            if (conflicts.Count > 0) return (null, conflicts, false);

            JsonObject result;
            if (created)
            {
                result = Create(type, ns, candidate);
                uid = Metadata(result)["uid"]!.GetValue<string>();
            }
            else
            {
                result = Update(type, ns, name, item =>
                {
                    foreach (var key in item.Select(p => p.Key).ToList())
                        if (key is not "status" and not "metadata") item.Remove(key);
                    foreach (var (key, value) in candidate)
                        if (key is not "status" and not "metadata") item[key] = value?.DeepClone();
                    var metadata = Metadata(item);
                    foreach (var field in new[] { "labels", "annotations" })
                        metadata[field] = candidate["metadata"]?[field]?.DeepClone();
                    if (metadata["labels"] is null) metadata.Remove("labels");
                    if (metadata["annotations"] is null) metadata.Remove("annotations");
                })!;
            }
            _ownersByUid[uid!] = owners;
            return (result, [], created);
        }
    }

    /// <summary>Removes an object and, like the garbage collector, everything whose ownerReferences point at it.</summary>
    public bool Delete(ResourceType type, string ns, string name)
    {
        try
        {
            lock (_gate) return DeleteLocked(type, ns, name);
        }
        finally { Changed?.Invoke(); }
    }

    private bool DeleteLocked(ResourceType type, string ns, string name)
    {
        if (!_objects.Remove((type.Plural, ns, name), out var removed)) return false;
        var uid = Metadata(removed)["uid"]!.GetValue<string>();
        _ownersByUid.Remove(uid);
        Record("DELETED", type, ns, removed);
        var dependents = _objects
            .Where(o => o.Value["metadata"]?["ownerReferences"] is JsonArray refs
                        && refs.Any(r => r?["uid"]?.GetValue<string>() == uid))
            .Select(o => o.Key)
            .ToList();
        foreach (var (plural, dependentNs, dependentName) in dependents)
            DeleteLocked(ResourceTypes.All.First(t => t.Plural == plural), dependentNs, dependentName);
        return true;
    }

    /// <summary>Everything stored in namespace <paramref name="ns"/>, as (type, name).</summary>
    public List<(ResourceType Type, string Name)> Contents(string ns)
    {
        lock (_gate)
            return _objects.Keys.Where(k => k.Namespace == ns && k.Plural != "namespaces")
                .Select(k => (ResourceTypes.All.First(t => t.Plural == k.Plural), k.Name)).ToList();
    }

    /// <summary>The managers owning each field of an object, for tests and for conflict messages.</summary>
    public Dictionary<string, HashSet<string>> Owners(ResourceType type, string ns, string name)
    {
        lock (_gate)
        {
            if (!_objects.TryGetValue((type.Plural, ns, name), out var live)) return [];
            return _ownersByUid.TryGetValue(Metadata(live)["uid"]!.GetValue<string>(), out var owners) ? Copy(owners) : [];
        }
    }

    /// <summary>Forgets the change history, as etcd compaction does: watches from any earlier resourceVersion get 410.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            // Compaction is a revision of its own: every resourceVersion handed out so far becomes too old to watch from.
            _history.Clear();
            _resourceVersion++;
            _compactedThrough = _resourceVersion;
        }
    }

    /// <summary>Ends every open watch, as an API server restart or a load balancer timeout does.</summary>
    public void DisconnectWatches()
    {
        lock (_gate)
        {
            foreach (var watcher in _watchers) watcher.Channel.Writer.TryComplete();
            WatchLog.Enqueue($"disconnected {_watchers.Count} watches ({string.Join(", ", _watchers.Select(w => w.Type.Plural))}) at rv {_resourceVersion}, compacted through {_compactedThrough}");
            _watchers.Clear();
        }
    }

    /// <summary>A restart during which history was compacted, in one step: no change (the controller keeps
    /// writing) can reach an open watch between the two and move its client past the compaction.</summary>
    public void RestartCompacted()
    {
        lock (_gate)
        {
            Compact();
            DisconnectWatches();
        }
    }

    public Subscription Watch(ResourceType type, string? ns, LabelSelector selector, long? fromVersion)
    {
        lock (_gate)
        {
            var channel = Channel.CreateUnbounded<StoreEvent>();
            var entry = (type, ns, selector, channel);
            void Unsubscribe()
            {
                lock (_gate) _watchers.Remove(entry);
            }
            List<StoreEvent>? replay;
            if (fromVersion is null or 0)
            {
                replay = _objects
                    .Where(o => o.Key.Plural == type.Plural && (ns is null || o.Key.Namespace == ns) && selector.Matches(o.Value))
                    .Select(o => new StoreEvent(_resourceVersion, "ADDED", type, o.Key.Namespace, o.Value.DeepClone().AsObject()))
                    .ToList();
            }
            else if (fromVersion < _compactedThrough)
            {
                WatchLog.Enqueue($"watch {type.Plural} from {fromVersion}: 410 (rv {_resourceVersion}, compacted through {_compactedThrough})");
                return new Subscription(null, channel.Reader, () => { });
            }
            else
            {
                replay = _history.Where(e => e.ResourceVersion > fromVersion && Matches(e, type, ns, selector)).ToList();
            }
            _watchers.Add(entry);
            WatchLog.Enqueue($"watch {type.Plural} from {fromVersion}: streaming {replay.Count} replayed (rv {_resourceVersion}, compacted through {_compactedThrough})");
            return new Subscription(replay, channel.Reader, Unsubscribe);
        }
    }

    private static bool Matches(StoreEvent e, ResourceType type, string? ns, LabelSelector selector) =>
        e.Resource == type && (ns is null || e.Namespace == ns) && selector.Matches(e.Object);

    private void Record(string eventType, ResourceType type, string ns, JsonObject item)
    {
        _resourceVersion++;
        Metadata(item)["resourceVersion"] = _resourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var change = new StoreEvent(_resourceVersion, eventType, type, ns, item.DeepClone().AsObject());
        _history.Add(change);
        if (_history.Count > HistoryLimit)
        {
            _compactedThrough = _history[0].ResourceVersion;
            _history.RemoveAt(0);
        }
        foreach (var (watchType, watchNs, selector, channel) in _watchers)
            if (Matches(change, watchType, watchNs, selector))
                channel.Writer.TryWrite(change with { Object = change.Object.DeepClone().AsObject() });
    }

    private static Dictionary<string, HashSet<string>> Copy(Dictionary<string, HashSet<string>> owners) =>
        owners.ToDictionary(o => o.Key, o => new HashSet<string>(o.Value, StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>A whole number, whether it was parsed from JSON or set from an int or a long.</summary>
    public static long Number(JsonNode? node) =>
        node is JsonValue value && (value.TryGetValue<long>(out var l) || (value.TryGetValue<int>(out var i) && (l = i) == i)) ? l : 0;

    public static JsonObject Metadata(JsonObject item) =>
        item["metadata"] as JsonObject ?? (JsonObject)(item["metadata"] = new JsonObject());

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
