using Paddock.Testing.FakeApiServer;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Domain.Names;

namespace Paddock.Backends.Kubernetes.Tests;

/// <summary>A fresh fake cluster per test; the test fails if the backend asked it for anything it does not implement.</summary>
public abstract class FakeClusterTest : IAsyncLifetime
{
    protected FakeKubeApiServer Cluster { get; private set; } = null!;
    private readonly List<KubernetesBackend> _backends = [];

    public async Task InitializeAsync() => Cluster = await FakeKubeApiServer.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var backend in _backends) backend.Dispose();
        await Cluster.DisposeAsync();
        Cluster.AssertNothingUnimplemented();
    }

    protected KubernetesBackend Backend(string? kubeconfig = null, Action<KubernetesBackendOptions>? configure = null)
    {
        var options = new KubernetesBackendOptions
        {
            Name = "fake",
            Kubeconfig = kubeconfig ?? Cluster.Kubeconfig(),
            IngressHostPattern = "{env}-{app}.apps.example.com",
            IngressClass = "nginx",
            RetryDelay = TimeSpan.FromMilliseconds(50),
            ConnectAttempts = 3,
            RolloutPollInterval = TimeSpan.FromMilliseconds(500),
            TeardownTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        var backend = new KubernetesBackend(options, TimeProvider.System);
        _backends.Add(backend);
        return backend;
    }

    protected static WorkloadSpec Spec(string image = "registry.example/web:1", int replicas = 2, Guid? environmentId = null,
        int timeoutSeconds = 20, string app = "shop", string environment = "staging") => new()
    {
        EnvironmentId = environmentId ?? Guid.NewGuid(),
        ResourceName = ResourceName.For(AppName.FromTrusted(app), EnvironmentName.FromTrusted(environment)),
        AppName = AppName.FromTrusted(app),
        EnvironmentName = EnvironmentName.FromTrusted(environment),
        DeploymentId = Guid.CreateVersion7(),
        Image = image,
        Port = 8080,
        Replicas = replicas,
        Variables = new Dictionary<string, string> { ["GREETING"] = "hello", ["SHARED"] = "variable" },
        Secrets = new Dictionary<string, string> { ["DB_PASSWORD"] = "s3cret-value", ["SHARED"] = "secret" },
        HealthCheck = new HealthCheck(HealthCheckKind.Http, "/healthz", IntervalSeconds: 1, TimeoutSeconds: timeoutSeconds),
        Limits = new ResourceLimits(250, 128),
        Labels = new Dictionary<string, string> { [KubeLabels.Team] = "payments", [KubeLabels.Stage] = "staging" },
    };

    protected static async Task<T> Within<T>(TimeSpan limit, Task<T> task)
    {
        var finished = await Task.WhenAny(task, Task.Delay(limit));
        Assert.True(finished == task, $"did not finish within {limit.TotalSeconds}s");
        return await task;
    }
}
