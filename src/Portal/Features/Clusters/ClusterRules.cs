using Paddock.Backends.Kubernetes;
using Paddock.Domain.Clusters;
using Paddock.Domain.Names;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Clusters;

/// <summary>The rules for a cluster's settings, one place for the API and the UI; each adds field errors keyed like
/// the request's JSON fields.</summary>
public static class ClusterRules
{
    public const int MaxClassNameLength = 253;

    /// <summary>Exactly one way to connect: a kubeconfig, or in-cluster. Returns what the kubeconfig points to.</summary>
    public static KubeconfigSummary? CheckConnection(string? kubeconfig, bool inCluster, FieldErrors errors)
    {
        var hasKubeconfig = !string.IsNullOrWhiteSpace(kubeconfig);
        if (inCluster && hasKubeconfig)
        {
            errors.Add("kubeconfig", "Give a kubeconfig or set inCluster, not both.");
            return null;
        }
        if (inCluster) return null;
        if (!hasKubeconfig)
        {
            errors.Add("kubeconfig", "Required unless inCluster is true: a kubeconfig document whose current context Paddock uses.");
            return null;
        }
        var (summary, error) = Kubeconfig.Check(kubeconfig);
        errors.Add("kubeconfig", error);
        return summary;
    }

    /// <summary>Optional: without a pattern, environments get no Ingress.</summary>
    public static void CheckIngressHostPattern(string? pattern, FieldErrors errors)
    {
        if (pattern is null) return;
        errors.Add("ingressHostPattern", IngressHostPattern.Check(pattern));
    }

    /// <summary>Ingress and storage class names are Kubernetes object names: DNS subdomains.</summary>
    public static void CheckClassName(string field, string? name, FieldErrors errors)
    {
        if (name is null) return;
        if (name.Length > MaxClassNameLength) errors.Add(field, $"At most {MaxClassNameLength} characters.");
        else if (name.Length == 0 || name.Split('.').Any(part => DnsLabel.Check(part, 63) is not null))
            errors.Add(field, $"A Kubernetes object name: {DnsLabel.Rule}, parts separated by dots.");
    }

    /// <summary>A namespace name (a DNS label), or none.</summary>
    public static void CheckNamespace(string field, string? name, FieldErrors errors)
    {
        if (name is not null) errors.Add(field, DnsLabel.Check(name, 63) is null ? null : $"A Kubernetes namespace name: {DnsLabel.Rule}.");
    }

    /// <summary>Server and username are required; the password too, unless one is stored already and kept.</summary>
    public static void CheckPullCredentials(PullCredentialsRequest? credentials, bool passwordStored, FieldErrors errors)
    {
        if (credentials is null) return;
        if (string.IsNullOrWhiteSpace(credentials.Server)) errors.Add("pullCredentials.server", "Required: the registry host, e.g. registry.example.com.");
        else if (credentials.Server.Trim().Length > 512 || credentials.Server.Trim().Any(char.IsWhiteSpace))
            errors.Add("pullCredentials.server", "A registry host (at most 512 characters, no spaces), e.g. registry.example.com.");
        if (string.IsNullOrWhiteSpace(credentials.Username)) errors.Add("pullCredentials.username", "Required.");
        else if (credentials.Username.Length > 512) errors.Add("pullCredentials.username", "At most 512 characters.");
        if (string.IsNullOrEmpty(credentials.Password) && !passwordStored) errors.Add("pullCredentials.password", "Required.");
        else if (credentials.Password?.Length > 4096) errors.Add("pullCredentials.password", "At most 4096 characters.");
    }
}
