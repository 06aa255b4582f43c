using System.Text.Json.Nodes;

namespace Paddock.Testing.FakeApiServer;

/// <summary>What a Pod's container does once the fake "kubelet" gets to it, chosen by a word in its image; the pod
/// as a whole does what its first misbehaving container does.</summary>
public enum ImageBehaviour
{
    /// <summary>Any other image: Running and Ready.</summary>
    Healthy,
    /// <summary><c>fail-pull</c>: Waiting, reason ImagePullBackOff.</summary>
    PullBackOff,
    /// <summary><c>err-pull</c>: Waiting, reason ErrImagePull (a manifest that does not exist).</summary>
    PullError,
    /// <summary><c>crash</c>: Waiting, reason CrashLoopBackOff, after writing two log lines and exiting 1.</summary>
    Crash,
    /// <summary><c>never-ready</c>: Running, never Ready (its readiness probe never passes).</summary>
    NeverReady,
    /// <summary><c>unschedulable</c>: Pending, PodScheduled=False reason Unschedulable.</summary>
    Unschedulable,
}

public static class ImageBehaviours
{
    public static ImageBehaviour Of(string image) => image switch
    {
        _ when image.Contains("fail-pull") => ImageBehaviour.PullBackOff,
        _ when image.Contains("err-pull") => ImageBehaviour.PullError,
        _ when image.Contains("crash") => ImageBehaviour.Crash,
        _ when image.Contains("never-ready") => ImageBehaviour.NeverReady,
        _ when image.Contains("unschedulable") => ImageBehaviour.Unschedulable,
        _ => ImageBehaviour.Healthy,
    };
}

internal static class PodStatus
{
    /// <summary>The pod's behaviour: that of its first container that is not healthy, else healthy.</summary>
    public static ImageBehaviour Of(IReadOnlyList<(string Name, string Image)> containers) =>
        containers.Select(c => ImageBehaviours.Of(c.Image)).FirstOrDefault(b => b != ImageBehaviour.Healthy);

    /// <summary>A status per container of the pod, each as its own image behaves.</summary>
    public static JsonObject For(IReadOnlyList<(string Name, string Image)> containers, string startedAt)
    {
        var behaviour = Of(containers);
        var running = behaviour is ImageBehaviour.Healthy or ImageBehaviour.NeverReady;
        var ready = behaviour == ImageBehaviour.Healthy;
        if (behaviour == ImageBehaviour.Unschedulable)
            return new JsonObject
            {
                ["phase"] = "Pending",
                ["conditions"] = new JsonArray(Condition("PodScheduled", "False", "Unschedulable",
                    "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available.")),
            };

        var statuses = new JsonArray();
        foreach (var (container, image) in containers) statuses.Add(ContainerStatus(ImageBehaviours.Of(image), image, container, startedAt));
        return new JsonObject
        {
            ["phase"] = running || behaviour == ImageBehaviour.Crash ? "Running" : "Pending",
            ["conditions"] = new JsonArray(
                Condition("PodScheduled", "True"),
                Condition("Initialized", "True"),
                Condition("ContainersReady", ready ? "True" : "False"),
                Condition("Ready", ready ? "True" : "False")),
            ["containerStatuses"] = statuses,
        };
    }

    /// <summary>A pod whose volume the kubelet cannot mount (a missing ConfigMap, Secret or key): Pending, its containers
    /// waiting in ContainerCreating, as the real kubelet leaves it (it reports FailedMount as an event).</summary>
    public static JsonObject MountFailed(IReadOnlyList<(string Name, string Image)> containers) => new()
    {
        ["phase"] = "Pending",
        ["conditions"] = new JsonArray(Condition("PodScheduled", "True"), Condition("Initialized", "True"),
            Condition("ContainersReady", "False", "ContainersNotReady"), Condition("Ready", "False", "ContainersNotReady")),
        ["containerStatuses"] = new JsonArray(containers.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Name,
            ["image"] = c.Image,
            ["ready"] = false,
            ["started"] = false,
            ["restartCount"] = 0,
            ["state"] = Waiting("ContainerCreating", ""),
        }).ToArray()),
    };

    private static JsonObject ContainerStatus(ImageBehaviour behaviour, string image, string container, string startedAt)
    {
        var running = behaviour is ImageBehaviour.Healthy or ImageBehaviour.NeverReady;
        var ready = behaviour == ImageBehaviour.Healthy;
        JsonObject state = behaviour switch
        {
            ImageBehaviour.PullBackOff => Waiting("ImagePullBackOff", $"Back-off pulling image \"{image}\""),
            ImageBehaviour.PullError => Waiting("ErrImagePull",
                $"rpc error: code = NotFound desc = failed to pull and unpack image \"{image}\": not found"),
            ImageBehaviour.Crash => Waiting("CrashLoopBackOff",
                $"back-off 10s restarting failed container={container} pod"),
            _ => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = startedAt } },
        };
        var status = new JsonObject
        {
            ["name"] = container,
            ["image"] = image,
            ["ready"] = ready,
            ["started"] = running,
            ["restartCount"] = behaviour == ImageBehaviour.Crash ? 3 : 0,
            ["state"] = state,
        };
        if (behaviour == ImageBehaviour.Crash)
            status["lastState"] = new JsonObject
            {
                ["terminated"] = new JsonObject { ["exitCode"] = 1, ["reason"] = "Error", ["finishedAt"] = startedAt },
            };
        return status;
    }

    private static JsonObject Waiting(string reason, string message) =>
        new() { ["waiting"] = new JsonObject { ["reason"] = reason, ["message"] = message } };

    // No lastTransitionTime: it would change on every write and make "nothing changed" impossible to see.
    private static JsonObject Condition(string type, string status, string? reason = null, string? message = null)
    {
        var condition = new JsonObject { ["type"] = type, ["status"] = status };
        if (reason is not null) condition["reason"] = reason;
        if (message is not null) condition["message"] = message;
        return condition;
    }
}
