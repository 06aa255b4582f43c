using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Paddock.Testing.FakeApiServer;

/// <summary>
/// Plays the deployment controller, the replica-set controller, the scheduler, the kubelet and the namespace
/// controller, just enough for a backend to watch a rollout: each Deployment gets a ReplicaSet per pod template
/// (named by its hash), each ReplicaSet its Pods; Pods become Ready shortly after creation unless their image
/// name asks for a failure (see <see cref="ImageBehaviour"/>); old ReplicaSets scale to zero once the new one is
/// fully ready; Deployment status and its Progressing/Available conditions follow.
/// </summary>
public sealed class FakeController : IAsyncDisposable
{
    private readonly ObjectStore _store;
    private readonly FakeClusterOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Task _loop;
    private readonly ConcurrentDictionary<string, (long Generation, DateTime Since)> _progressSince = new();
    private readonly ConcurrentDictionary<string, DateTime> _terminatingSince = new();
    private readonly ConcurrentDictionary<(string Namespace, string Pod), List<(DateTime At, string Text)>> _logs = new();

    public FakeController(ObjectStore store, FakeClusterOptions options)
    {
        _store = store;
        _options = options;
        store.Changed += () => { if (_wake.CurrentCount == 0) _wake.Release(); };
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Errors the controller hit (a test fails on them, like on unmapped requests).</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    public IReadOnlyList<(DateTime At, string Text)> LogsOf(string ns, string pod)
    {
        if (!_logs.TryGetValue((ns, pod), out var lines)) return [];
        lock (lines) return lines.ToList();
    }

    public void AppendLog(string ns, string pod, string text)
    {
        var lines = _logs.GetOrAdd((ns, pod), _ => []);
        lock (lines) lines.Add((DateTime.UtcNow, text));
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                Reconcile();
            }
            catch (Exception e)
            {
                Errors.Enqueue(e.ToString());
            }
            try
            {
                await _wake.WaitAsync(_options.ControllerTick, _stop.Token);
            }
            catch (OperationCanceledException) { }
        }
    }

    private void Reconcile()
    {
        FinishTerminatingNamespaces();
        foreach (var deployment in _store.List(ResourceTypes.Deployments, null, LabelSelector.Everything).Items)
            ReconcileDeployment(deployment);
        foreach (var replicaSet in _store.List(ResourceTypes.ReplicaSets, null, LabelSelector.Everything).Items)
            ReconcileReplicaSet(replicaSet);
        foreach (var pod in _store.List(ResourceTypes.Pods, null, LabelSelector.Everything).Items)
            AdvancePod(pod);
        foreach (var deployment in _store.List(ResourceTypes.Deployments, null, LabelSelector.Everything).Items)
            UpdateDeploymentStatus(deployment);
    }

    private void FinishTerminatingNamespaces()
    {
        foreach (var ns in _store.List(ResourceTypes.Namespaces, null, LabelSelector.Everything).Items)
        {
            if (ns["metadata"]?["deletionTimestamp"] is null) continue;
            var name = Name(ns);
            // deletionTimestamp has whole seconds only; the delay counts from when the controller first saw it.
            var since = _terminatingSince.GetOrAdd(name, _ => DateTime.UtcNow);
            if (DateTime.UtcNow - since < _options.NamespaceTerminationDelay) continue;
            _terminatingSince.TryRemove(name, out _);
            foreach (var (type, item) in _store.Contents(name)) _store.Delete(type, name, item);
            _store.Delete(ResourceTypes.Namespaces, "", name);
        }
    }

    private void ReconcileDeployment(JsonObject deployment)
    {
        var ns = Namespace(deployment);
        var desired = deployment["spec"]?["replicas"]?.GetValue<int>() ?? 1;
        var template = deployment["spec"]?["template"]?.AsObject() ?? new JsonObject();
        var hash = TemplateHash(template);
        var currentName = $"{Name(deployment)}-{hash}";
        var owned = OwnedBy(ResourceTypes.ReplicaSets, ns, deployment);

        var current = owned.FirstOrDefault(rs => Name(rs) == currentName);
        if (current is null)
        {
            var labels = template["metadata"]?["labels"]?.DeepClone().AsObject() ?? new JsonObject();
            labels["pod-template-hash"] = hash;
            var podTemplate = template.DeepClone().AsObject();
            ObjectStore.Metadata(podTemplate)["labels"] = labels.DeepClone();
            current = _store.Create(ResourceTypes.ReplicaSets, ns, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = currentName,
                    ["labels"] = labels,
                    ["ownerReferences"] = OwnerReference(deployment),
                },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = desired,
                    ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
                    ["template"] = podTemplate,
                },
            });
        }
        else if (current["spec"]?["replicas"]?.GetValue<int>() != desired)
        {
            _store.Update(ResourceTypes.ReplicaSets, ns, currentName, rs => rs["spec"]!["replicas"] = desired);
        }

        var currentReady = OwnedBy(ResourceTypes.Pods, ns, current).Count(IsReady);
        if (currentReady < desired) return;
        foreach (var old in owned.Where(rs => Name(rs) != currentName && rs["spec"]?["replicas"]?.GetValue<int>() != 0))
            _store.Update(ResourceTypes.ReplicaSets, ns, Name(old), rs => rs["spec"]!["replicas"] = 0);
    }

    private void ReconcileReplicaSet(JsonObject replicaSet)
    {
        var ns = Namespace(replicaSet);
        var desired = replicaSet["spec"]?["replicas"]?.GetValue<int>() ?? 0;
        var pods = OwnedBy(ResourceTypes.Pods, ns, replicaSet);
        for (var i = pods.Count; i < desired; i++)
        {
            var template = replicaSet["spec"]!["template"]!.AsObject();
            var name = $"{Name(replicaSet)}-{RandomSuffix()}";
            var spec = template["spec"]?.DeepClone().AsObject() ?? new JsonObject();
            spec["nodeName"] = "fake-node-1";
            _store.Create(ResourceTypes.Pods, ns, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = name,
                    ["labels"] = template["metadata"]?["labels"]?.DeepClone(),
                    ["ownerReferences"] = OwnerReference(replicaSet),
                },
                ["spec"] = spec,
                ["status"] = new JsonObject { ["phase"] = "Pending" },
            });
        }
        foreach (var extra in pods.OrderBy(Name, StringComparer.Ordinal).Skip(desired))
        {
            _store.Delete(ResourceTypes.Pods, ns, Name(extra));
            _logs.TryRemove((ns, Name(extra)), out _);
        }
    }

    private void AdvancePod(JsonObject pod)
    {
        var ns = Namespace(pod);
        var name = Name(pod);
        var container = pod["spec"]?["containers"]?[0]?.AsObject();
        var containers = (pod["spec"]?["containers"]?.AsArray() ?? [])
            .Select(c => (Name: c?["name"]?.GetValue<string>() ?? "app", Image: c?["image"]?.GetValue<string>() ?? ""))
            .ToList();
        var age = DateTime.UtcNow - DateTime.Parse(pod["metadata"]!["creationTimestamp"]!.GetValue<string>(), null,
            System.Globalization.DateTimeStyles.AdjustToUniversal);
        if (age < _options.PodStartDelay) return;

        // A kubelet mounts a pod's volumes before it starts its containers; a started pod keeps what it mounted.
        if (pod["status"]?["phase"]?.GetValue<string>() == "Pending" && UnmountableVolume(pod, ns) is not null)
        {
            _store.Update(ResourceTypes.Pods, ns, name, live => live["status"] = PodStatus.MountFailed(containers));
            return;
        }
        var behaviour = PodStatus.Of(containers);
        if (behaviour == ImageBehaviour.Crash && !_logs.ContainsKey((ns, name)))
        {
            AppendLog(ns, name, "starting up");
            AppendLog(ns, name, "panic: configuration missing (this image crashes on purpose)");
        }
        else if (behaviour is ImageBehaviour.Healthy or ImageBehaviour.NeverReady && !_logs.ContainsKey((ns, name)))
        {
            AppendLog(ns, name, $"listening on :{container?["ports"]?[0]?["containerPort"]?.GetValue<int>() ?? 8080}");
        }
        var startTime = pod["metadata"]!["creationTimestamp"]!.GetValue<string>();
        var status = PodStatus.For(containers, startTime);
        _store.Update(ResourceTypes.Pods, ns, name, live =>
        {
            if (behaviour != ImageBehaviour.Unschedulable) status["startTime"] = startTime;
            status["podIP"] = behaviour == ImageBehaviour.Unschedulable ? null : PodIp(name);
            if (status["podIP"] is null) status.Remove("podIP");
            live["status"] = status;
        });
    }

    /// <summary>The first ConfigMap or Secret volume of the pod the kubelet could not mount: its object is missing, or
    /// an item names a key the object does not have. Claims are not checked (there is no volume binding here).</summary>
    private string? UnmountableVolume(JsonObject pod, string ns)
    {
        foreach (var volume in (pod["spec"]?["volumes"]?.AsArray() ?? []).OfType<JsonObject>())
        {
            var (type, source, objectName) = volume["configMap"] is JsonObject configMap ? (ResourceTypes.ConfigMaps, configMap, configMap["name"]?.GetValue<string>())
                : volume["secret"] is JsonObject secret ? (ResourceTypes.Secrets, secret, secret["secretName"]?.GetValue<string>())
                : (null, null, null);
            if (type is null || source is null || source["optional"]?.GetValue<bool>() == true) continue;
            var found = objectName is null ? null : _store.Get(type, ns, objectName);
            if (found is null) return $"{type.Kind} {objectName} not found";
            foreach (var item in (source["items"]?.AsArray() ?? []).OfType<JsonObject>())
            {
                var key = item["key"]?.GetValue<string>() ?? "";
                if (found["data"]?[key] is null && found["binaryData"]?[key] is null) return $"{type.Kind} {objectName} has no key {key}";
            }
        }
        return null;
    }

    private void UpdateDeploymentStatus(JsonObject deployment)
    {
        var ns = Namespace(deployment);
        var uid = deployment["metadata"]!["uid"]!.GetValue<string>();
        var generation = ObjectStore.Number(deployment["metadata"]?["generation"]);
        var desired = deployment["spec"]?["replicas"]?.GetValue<int>() ?? 1;
        var deadline = TimeSpan.FromSeconds(deployment["spec"]?["progressDeadlineSeconds"]?.GetValue<int>() ?? 600);
        var currentName = $"{Name(deployment)}-{TemplateHash(deployment["spec"]?["template"]?.AsObject() ?? new JsonObject())}";

        var replicaSets = OwnedBy(ResourceTypes.ReplicaSets, ns, deployment);
        var pods = replicaSets.SelectMany(rs => OwnedBy(ResourceTypes.Pods, ns, rs).Select(p => (Rs: Name(rs), Pod: p))).ToList();
        var updated = pods.Count(p => p.Rs == currentName);
        var updatedReady = pods.Count(p => p.Rs == currentName && IsReady(p.Pod));
        var ready = pods.Count(p => IsReady(p.Pod));
        var complete = updated == desired && updatedReady == desired && pods.Count == desired;

        var since = _progressSince.AddOrUpdate(uid, _ => (generation, DateTime.UtcNow),
            (_, known) => known.Generation == generation ? known : (generation, DateTime.UtcNow)).Since;
        var progressing = complete
            ? Condition("Progressing", "True", "NewReplicaSetAvailable", $"ReplicaSet \"{currentName}\" has successfully progressed.")
            : DateTime.UtcNow - since > deadline
                ? Condition("Progressing", "False", "ProgressDeadlineExceeded", $"ReplicaSet \"{currentName}\" has timed out progressing.")
                : Condition("Progressing", "True", "ReplicaSetUpdated", $"ReplicaSet \"{currentName}\" is progressing.");
        var available = ready >= desired
            ? Condition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
            : Condition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.");

        var status = new JsonObject
        {
            ["observedGeneration"] = generation,
            ["replicas"] = pods.Count,
            ["updatedReplicas"] = updated,
            ["readyReplicas"] = ready,
            ["availableReplicas"] = ready,
            ["unavailableReplicas"] = Math.Max(0, desired - ready),
            ["conditions"] = new JsonArray(available, progressing),
        };
        _store.Update(ResourceTypes.Deployments, ns, Name(deployment), live =>
        {
            // Keep the transition times of conditions whose status did not change, so "no change" writes nothing.
            if (live["status"]?["conditions"] is JsonArray previous)
                foreach (var condition in ((JsonArray)status["conditions"]!).OfType<JsonObject>())
                    if (previous.OfType<JsonObject>().FirstOrDefault(p => p["type"]?.GetValue<string>() == condition["type"]!.GetValue<string>()
                            && p["status"]?.GetValue<string>() == condition["status"]!.GetValue<string>()
                            && p["reason"]?.GetValue<string>() == condition["reason"]!.GetValue<string>()) is { } same)
                        condition["lastTransitionTime"] = same["lastTransitionTime"]?.DeepClone();
            live["status"] = status;
        });
    }

    private static JsonObject Condition(string type, string status, string reason, string message) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastTransitionTime"] = ObjectStore.Now(),
    };

    private List<JsonObject> OwnedBy(ResourceType type, string ns, JsonObject owner)
    {
        var uid = owner["metadata"]!["uid"]!.GetValue<string>();
        return _store.List(type, ns, LabelSelector.Everything).Items
            .Where(o => o["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => r?["uid"]?.GetValue<string>() == uid))
            .ToList();
    }

    private static JsonArray OwnerReference(JsonObject owner) =>
    [
        new JsonObject
        {
            ["apiVersion"] = owner["apiVersion"]!.GetValue<string>(),
            ["kind"] = owner["kind"]!.GetValue<string>(),
            ["name"] = Name(owner),
            ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(),
            ["controller"] = true,
            ["blockOwnerDeletion"] = true,
        },
    ];

    public static bool IsReady(JsonObject pod) =>
        pod["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");

    private static string TemplateHash(JsonObject template) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(template.ToJsonString())))[..10];

    private static string RandomSuffix() =>
        string.Concat(Enumerable.Range(0, 5).Select(_ => "bcdfghjklmnpqrstvwxz2456789"[Random.Shared.Next(27)]));

    private static string PodIp(string name) => $"10.244.0.{(uint)name.GetHashCode() % 250 + 2}";

    private static string Name(JsonObject item) => item["metadata"]!["name"]!.GetValue<string>();

    private static string Namespace(JsonObject item) => item["metadata"]?["namespace"]?.GetValue<string>() ?? "";

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        _wake.Dispose();
    }
}
