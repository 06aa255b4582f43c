using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Runtime.Backends;

namespace Paddock.Backends.Kubernetes.Tests.Backend;

public sealed class RegistryTests : FakeClusterTest
{
    [Fact]
    public async Task A_kubernetes_backend_comes_from_configuration_with_a_kubeconfig_file()
    {
        var kubeconfig = Path.GetTempFileName();
        await File.WriteAllTextAsync(kubeconfig, Cluster.Kubeconfig());
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Backends:docker:Kind"] = "docker",
                ["Backends:docker:Endpoint"] = "unix:///tmp/paddock-no-engine.sock",
                ["Backends:prod-cluster:Kind"] = "kubernetes",
                ["Backends:prod-cluster:KubeconfigFile"] = kubeconfig,
            }).Build();
            await using var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(configuration)
                .AddSingleton(TimeProvider.System)
                .AddPaddockBackends()
                .BuildServiceProvider();

            var registry = services.GetRequiredService<BackendRegistry>();
            var cluster = registry.Get("prod-cluster");

            Assert.Equal(["docker", "prod-cluster"], registry.Names);
            Assert.Equal("kubernetes", cluster.Kind);
            var info = await cluster.DescribeAsync(CancellationToken.None);
            Assert.True(info.Reachable, info.Reason);
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
