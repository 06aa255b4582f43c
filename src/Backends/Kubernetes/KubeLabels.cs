using Paddock.Domain.Backends;

namespace Paddock.Backends.Kubernetes;

/// <summary>The labels that mark what Paddock owns in a cluster. The environment-id label on a namespace is the
/// ownership proof: without it (or with another id) Paddock neither adopts, changes nor deletes the namespace.</summary>
public static class KubeLabels
{
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "paddock";
    public const string EnvironmentId = "paddock.dev/environment-id";
    public const string DeploymentId = "paddock.dev/deployment-id";
    public const string App = "paddock.dev/app";
    public const string Environment = "paddock.dev/environment";
    /// <summary>Team and stage are not part of <see cref="WorkloadSpec"/>; callers pass them in its Labels under these keys.</summary>
    public const string Team = "paddock.dev/team";
    public const string Stage = "paddock.dev/stage";

    /// <summary>A namespace label <c>reaches.paddock.dev/{namespace}</c>: its pods may connect to that environment's
    /// namespace (a <c>service-port</c> resource), whose NetworkPolicy admits namespaces carrying it.</summary>
    public static string Reaches(string targetNamespace) => $"reaches.paddock.dev/{targetNamespace}";

    /// <summary>The labels of the namespace and of every object in it: the spec's extra labels that are valid
    /// Kubernetes labels, then Paddock's own (which win).</summary>
    public static Dictionary<string, string> ForEnvironment(WorkloadSpec spec)
    {
        var labels = spec.Labels.Where(l => IsValidKey(l.Key) && IsValidValue(l.Value))
            .ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
        labels[ManagedBy] = ManagedByValue;
        labels[EnvironmentId] = spec.EnvironmentId.ToString();
        labels[App] = spec.AppName.Value;
        labels[Environment] = spec.EnvironmentName.Value;
        return labels;
    }

    /// <summary>The pod template's labels: the environment's plus the deployment id.</summary>
    public static Dictionary<string, string> ForPods(WorkloadSpec spec) =>
        new(ForEnvironment(spec), StringComparer.Ordinal) { [DeploymentId] = spec.DeploymentId.ToString() };

    public static string Is(string key, object value) => $"{key}={value}";

    public static Guid? ParseGuid(IDictionary<string, string>? labels, string key) =>
        labels is not null && labels.TryGetValue(key, out var value) && Guid.TryParse(value, out var id) ? id : null;

    private static bool IsValidKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        return name.Length is > 0 and <= 63 && (slash < 0 || slash <= 253) && IsValidValue(name) && name.Length > 0;
    }

    private static bool IsValidValue(string value) =>
        value.Length <= 63
        && (value.Length == 0 || (char.IsAsciiLetterOrDigit(value[0]) && char.IsAsciiLetterOrDigit(value[^1])
            && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')));
}
