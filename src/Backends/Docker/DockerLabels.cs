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
        return labels;
    }

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
}
