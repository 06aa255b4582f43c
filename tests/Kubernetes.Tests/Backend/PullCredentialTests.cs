using System.Text;
using System.Text.Json.Nodes;
using Paddock.Testing.FakeApiServer;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Kubernetes.Tests.Backend;

public sealed class PullCredentialTests : FakeClusterTest
{
    [Fact]
    public async Task The_clusters_and_the_apps_registry_credentials_become_pull_secrets_the_pods_name()
    {
        var spec = Spec() with { RegistryCredentials = new RegistryCredentials("app.registry.example", "app-bot", "app-pass") };
        var backend = Backend(configure: o => o.PullCredentials = new RegistryCredentials("mirror.example:5000", "cluster-bot", "cluster-pass"));

        var result = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        var ns = spec.ResourceName.Value;
        Assert.Equal("cluster-bot:cluster-pass", AuthIn(Cluster.Store.Get(ResourceTypes.Secrets, ns, Manifests.ClusterRegistryName)!, "mirror.example:5000"));
        Assert.Equal("app-bot:app-pass", AuthIn(Cluster.Store.Get(ResourceTypes.Secrets, ns, Manifests.RegistryName)!, "app.registry.example"));
        var pullSecrets = Cluster.Store.Get(ResourceTypes.Deployments, ns, "shop")!["spec"]!["template"]!["spec"]!["imagePullSecrets"]!
            .AsArray().Select(s => s!["name"]!.GetValue<string>());
        Assert.Equal([Manifests.ClusterRegistryName, Manifests.RegistryName], pullSecrets);
    }

    [Fact]
    public async Task Without_credentials_no_pull_secret_is_made()
    {
        var spec = Spec();

        var result = await Within(TimeSpan.FromSeconds(15), Backend().ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.Null(Cluster.Store.Get(ResourceTypes.Secrets, spec.ResourceName.Value, Manifests.ClusterRegistryName));
        Assert.Null(Cluster.Store.Get(ResourceTypes.Deployments, spec.ResourceName.Value, "shop")!["spec"]!["template"]!["spec"]!["imagePullSecrets"]);
    }

    /// <summary>The "user:password" a dockerconfigjson Secret holds for <paramref name="server"/>.</summary>
    private static string AuthIn(JsonNode secret, string server)
    {
        Assert.Equal("kubernetes.io/dockerconfigjson", secret["type"]!.GetValue<string>());
        var config = JsonNode.Parse(Convert.FromBase64String(secret["data"]![".dockerconfigjson"]!.GetValue<string>()))!;
        return Encoding.UTF8.GetString(Convert.FromBase64String(config["auths"]![server]!["auth"]!.GetValue<string>()));
    }
}
