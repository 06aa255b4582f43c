namespace Paddock.Testing.FakeApiServer;

/// <summary>One kind of object the fake serves, under its real REST path.</summary>
public sealed record ResourceType(string Plural, string Kind, string ApiVersion, bool Namespaced)
{
    /// <summary>"/api/v1" or "/apis/apps/v1": what comes before "namespaces/{ns}/{plural}".</summary>
    public string PathPrefix => ApiVersion.Contains('/') ? $"/apis/{ApiVersion}" : $"/api/{ApiVersion}";

    public string ListKind => Kind + "List";
}

public static class ResourceTypes
{
    public static readonly ResourceType Namespaces = new("namespaces", "Namespace", "v1", Namespaced: false);
    public static readonly ResourceType Pods = new("pods", "Pod", "v1", true);
    public static readonly ResourceType Services = new("services", "Service", "v1", true);
    public static readonly ResourceType ConfigMaps = new("configmaps", "ConfigMap", "v1", true);
    public static readonly ResourceType Secrets = new("secrets", "Secret", "v1", true);
    public static readonly ResourceType Deployments = new("deployments", "Deployment", "apps/v1", true);
    public static readonly ResourceType ReplicaSets = new("replicasets", "ReplicaSet", "apps/v1", true);
    public static readonly ResourceType Ingresses = new("ingresses", "Ingress", "networking.k8s.io/v1", true);
    public static readonly ResourceType ResourceQuotas = new("resourcequotas", "ResourceQuota", "v1", true);
    public static readonly ResourceType NetworkPolicies = new("networkpolicies", "NetworkPolicy", "networking.k8s.io/v1", true);
    public static readonly ResourceType PersistentVolumeClaims = new("persistentvolumeclaims", "PersistentVolumeClaim", "v1", true);

    public static readonly IReadOnlyList<ResourceType> All =
        [Namespaces, Pods, Services, ConfigMaps, Secrets, Deployments, ReplicaSets, Ingresses, ResourceQuotas, NetworkPolicies, PersistentVolumeClaims];

    /// <summary>The namespaced type served as <paramref name="plural"/> under <paramref name="apiVersion"/>, or null.</summary>
    public static ResourceType? Find(string apiVersion, string plural) =>
        All.FirstOrDefault(t => t.Namespaced && t.ApiVersion == apiVersion && t.Plural == plural);
}
