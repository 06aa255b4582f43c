using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

/// <summary>The labels that mark what Paddock runs in an engine; everything the backend finds again, it finds by them.</summary>
public static class DockerLabels
{
    public const string Managed = "paddock.managed";
    public const string EnvironmentId = "paddock.environment-id";
    public const string App = "paddock.app";
    public const string Environment = "paddock.environment";
    public const string DeploymentId = "paddock.deployment-id";
    public const string Ordinal = "paddock.ordinal";
    /// <summary>The image as the deployment names it, and the id of the image the container was created from. The
    /// engine may name a container's image otherwise (<c>repo@sha256:…</c> when a redeploy pinned the content, or
    /// another tag of the same image); the reconciler compares with the deployment's name.</summary>
    public const string Image = "paddock.image";
    public const string ImageId = "paddock.image-id";
    /// <summary>The instance's grace period in seconds (SIGTERM to SIGKILL), when its deployment set one: whoever stops
    /// it later (a retirement, the reconciler, a teardown) gives it that long.</summary>
    public const string StopGraceSeconds = "paddock.stop-grace-seconds";
    /// <summary>The instance a container belongs to (its main container's name), on every container of an instance
    /// of a workload with several containers; the containers of one instance are observed, repaired and removed
    /// together. Containers made before workloads had several containers lack it: each is its own instance.</summary>
    public const string Instance = "paddock.instance";
    /// <summary>On a sidecar: its container name in the workload. The main container has no such label.</summary>
    public const string Sidecar = "paddock.sidecar";
    /// <summary>On the main container of a workload with several containers: its sidecars' names, comma-separated,
    /// so that a sidecar removed by hand is seen missing.</summary>
    public const string Sidecars = "paddock.sidecars";
    /// <summary>On a container with a liveness probe: the probe (JSON), which the backend's <see cref="LivenessMonitor"/>
    /// runs while the container runs.</summary>
    public const string Liveness = "paddock.liveness";

    public static Dictionary<string, string> For(WorkloadSpec spec, string imageId, int ordinal)
    {
        var labels = new Dictionary<string, string>(spec.Labels, StringComparer.Ordinal)
        {
            [Managed] = "true",
            [EnvironmentId] = spec.EnvironmentId.ToString(),
            [App] = spec.AppName.Value,
            [Environment] = spec.EnvironmentName.Value,
            [DeploymentId] = spec.DeploymentId.ToString(),
            [Ordinal] = ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [Image] = spec.Image,
            [ImageId] = imageId,
        };
        if (spec.StopGracePeriod is { } grace)
            labels[StopGraceSeconds] = ((int)grace.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (spec.Sidecars.Count > 0)
        {
            labels[Instance] = ContainerName(spec, ordinal);
            labels[Sidecars] = string.Join(',', spec.Sidecars.Select(s => s.Name));
        }
        if (spec.Liveness is { } liveness) labels[Liveness] = LivenessMonitor.LabelOf(liveness);
        return labels;
    }

    public static Dictionary<string, string> ForSidecar(WorkloadSpec spec, SidecarSpec sidecar, string imageId, int ordinal)
    {
        var labels = For(spec, imageId, ordinal);
        labels.Remove(Sidecars);
        labels.Remove(Liveness);
        if (sidecar.Liveness is { } liveness) labels[Liveness] = LivenessMonitor.LabelOf(liveness);
        labels[Image] = sidecar.Image;
        labels[Sidecar] = sidecar.Name;
        return labels;
    }

    /// <summary>The instance a container belongs to: its <see cref="Instance"/> label, else its own name.</summary>
    public static string InstanceOf(IDictionary<string, string>? labels, string containerName) =>
        labels is not null && labels.TryGetValue(Instance, out var instance) ? instance : containerName;

    public static bool IsSidecar(IDictionary<string, string>? labels) => labels?.ContainsKey(Sidecar) == true;

    /// <summary>An engine list/events filter matching all of <paramref name="labels"/> (<c>key=value</c>).</summary>
    public static IDictionary<string, IDictionary<string, bool>> Filter(params string[] labels) =>
        new Dictionary<string, IDictionary<string, bool>>
        {
            ["label"] = labels.ToDictionary(label => label, _ => true),
        };

    public static string Is(string key, object value) => $"{key}={value}";

    /// <summary>The image an instance runs as its deployment names it, when the engine runs the image the labels say
    /// it was created from; else the engine's own name (an impostor that copied the labels shows its real image).</summary>
    public static string ImageOf(IDictionary<string, string>? labels, string engineImage, string? engineImageId) =>
        labels is not null && labels.TryGetValue(Image, out var image) && labels.TryGetValue(ImageId, out var id)
            && engineImageId is not null && BareId(id) == BareId(engineImageId)
            ? image
            : engineImage;

    private static string BareId(string id) => id.StartsWith("sha256:", StringComparison.Ordinal) ? id[7..] : id;

    /// <summary>The grace period the instance's labels carry, else <paramref name="fallback"/>.</summary>
    public static TimeSpan StopGraceOf(IDictionary<string, string>? labels, TimeSpan fallback) =>
        labels is not null && labels.TryGetValue(StopGraceSeconds, out var value)
            && int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? TimeSpan.FromSeconds(seconds)
            : fallback;

    public static Guid? ParseGuid(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) && Guid.TryParse(value, out var id) ? id : null;

    /// <summary><c>{resourceName}-{last 8 hex of the deployment id}-{n}</c>. The last digits, because the first
    /// ones of a version-7 id are a timestamp that deployments minutes apart share.</summary>
    public static string ContainerName(WorkloadSpec spec, int ordinal) =>
        $"{spec.ResourceName.Value}-{spec.DeploymentId.ToString("N")[^8..]}-{ordinal}";

    /// <summary>A sidecar is named after its instance: <c>{instance}-{container}</c>.</summary>
    public static string SidecarName(WorkloadSpec spec, SidecarSpec sidecar, int ordinal) => $"{ContainerName(spec, ordinal)}-{sidecar.Name}";
}
