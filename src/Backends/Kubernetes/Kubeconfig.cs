using System.Text;
using k8s;
using k8s.KubeConfigModels;

namespace Paddock.Backends.Kubernetes;

/// <summary>What a kubeconfig document says about where it points, shown instead of the document itself.</summary>
public sealed record KubeconfigSummary(string Server, string Context);

/// <summary>Checks a kubeconfig before it is stored, with the client's own parser, so a registration fails at once
/// with a reason instead of at the first deployment.</summary>
public static class Kubeconfig
{
    public const int MaxLength = 64 * 1024;

    /// <summary>The summary, or a sentence saying what is wrong. A kubeconfig given to Paddock must be
    /// self-contained: file paths would be read from the Paddock host's disk and exec or auth-provider plugins
    /// would run commands on it, so they are refused; embed the data (<c>certificate-authority-data</c>,
    /// <c>client-certificate-data</c>, <c>token</c>) instead.</summary>
    public static (KubeconfigSummary? Summary, string? Error) Check(string? document)
    {
        if (string.IsNullOrWhiteSpace(document)) return (null, "Required: a kubeconfig document (YAML).");
        if (document.Length > MaxLength) return (null, $"At most {MaxLength / 1024} KiB.");
        K8SConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.LoadKubeConfig(new MemoryStream(Encoding.UTF8.GetBytes(document)));
        }
        catch (Exception e)
        {
            return (null, $"Not a kubeconfig document: {FirstLine(e.GetBaseException().Message)}");
        }
        // The parser is lenient: text that is not YAML at all can come back as an empty document.
        if (config is null || (config.Clusters?.Any() != true && config.Contexts?.Any() != true))
            return (null, "Not a kubeconfig document: it defines no clusters and no contexts.");
        if (string.IsNullOrWhiteSpace(config.CurrentContext)) return (null, "The kubeconfig has no current-context; set the context Paddock should use.");
        var context = config.Contexts?.FirstOrDefault(c => c.Name == config.CurrentContext);
        if (context?.ContextDetails is null) return (null, $"The current-context '{config.CurrentContext}' is not among the kubeconfig's contexts.");
        var cluster = config.Clusters?.FirstOrDefault(c => c.Name == context.ContextDetails.Cluster);
        if (cluster?.ClusterEndpoint is null) return (null, $"The context '{context.Name}' names cluster '{context.ContextDetails.Cluster}', which the kubeconfig does not define.");
        var endpoint = cluster.ClusterEndpoint;
        if (string.IsNullOrWhiteSpace(endpoint.Server)) return (null, $"The cluster '{cluster.Name}' has no server.");
        if (!Uri.TryCreate(endpoint.Server, UriKind.Absolute, out var server) || server.Scheme is not ("https" or "http"))
            return (null, $"The cluster's server '{endpoint.Server}' is not an http(s) URL.");
        if (!string.IsNullOrEmpty(endpoint.CertificateAuthority))
            return (null, "certificate-authority points to a file on the Paddock host; embed it as certificate-authority-data.");
        var user = config.Users?.FirstOrDefault(u => u.Name == context.ContextDetails.User)?.UserCredentials;
        if (user is not null)
        {
            if (user.ExternalExecution is not null) return (null, "exec credential plugins would run a command on the Paddock host; use a service account token or client certificate data.");
            if (user.AuthProvider is not null) return (null, "auth-provider plugins are not supported; use a service account token or client certificate data.");
            if (!string.IsNullOrEmpty(user.ClientCertificate) || !string.IsNullOrEmpty(user.ClientKey))
                return (null, "client-certificate/client-key point to files on the Paddock host; embed them as client-certificate-data and client-key-data.");
        }
        try
        {
            KubernetesClientConfiguration.BuildConfigFromConfigObject(config);
        }
        catch (Exception e)
        {
            return (null, $"The client cannot use this kubeconfig: {FirstLine(e.GetBaseException().Message)}");
        }
        return (new KubeconfigSummary(server.ToString().TrimEnd('/'), context.Name), null);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
