using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Domain.Names;

namespace Paddock.Backends.Kubernetes.RealCluster.Tests;

/// <summary>Runs only when PADDOCK_E2E_KUBECONFIG names a kubeconfig file (a kind or k3d cluster with deploy/kubernetes/rbac.yaml
/// applied); skipped otherwise. Needs the cluster to pull nginx and busybox from Docker Hub.</summary>
public sealed class RealClusterFactAttribute : FactAttribute
{
    public RealClusterFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(RealCluster.Variable)))
            Skip = $"{RealCluster.Variable} is not set: no real cluster to test against";
    }
}

public static class RealCluster
{
    public const string Variable = "PADDOCK_E2E_KUBECONFIG";

    public static KubernetesBackend Backend(string? kubeconfig = null) => new(new KubernetesBackendOptions
    {
        Name = "e2e",
        Kubeconfig = kubeconfig ?? File.ReadAllText(Environment.GetEnvironmentVariable(Variable)!),
        IngressHostPattern = "{env}-{app}.apps.example.com",
    }, TimeProvider.System);

    public static WorkloadSpec Spec(string image = "nginx:1.27-alpine", IReadOnlyList<string>? command = null, int timeoutSeconds = 120)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var app = AppName.FromTrusted("e2e" + suffix);
        var environment = EnvironmentName.FromTrusted("test");
        return new WorkloadSpec
        {
            EnvironmentId = Guid.NewGuid(),
            ResourceName = ResourceName.For(app, environment),
            AppName = app,
            EnvironmentName = environment,
            DeploymentId = Guid.CreateVersion7(),
            Image = image,
            Command = command,
            Port = 80,
            Replicas = 2,
            Variables = new Dictionary<string, string> { ["GREETING"] = "hello" },
            Secrets = new Dictionary<string, string> { ["TOKEN"] = "secret" },
            HealthCheck = new HealthCheck(HealthCheckKind.Http, "/", IntervalSeconds: 2, TimeoutSeconds: timeoutSeconds),
        };
    }

    public sealed class Events : IProgress<BackendEvent>
    {
        public void Report(BackendEvent value) { }
    }
}

public sealed class RealClusterTests
{
    [RealClusterFact]
    public async Task A_workload_rolls_out_redeploys_and_tears_down()
    {
        using var backend = RealCluster.Backend();
        var spec = RealCluster.Spec();
        try
        {
            var first = await backend.ApplyAsync(spec, new RealCluster.Events(), CancellationToken.None);
            Assert.True(first.Succeeded, first.Failure?.Reason);
            Assert.Equal(2, first.Instances.Count);

            var second = spec with { DeploymentId = Guid.CreateVersion7(), Image = "nginx:1.26-alpine" };
            var redeployed = await backend.ApplyAsync(second, new RealCluster.Events(), CancellationToken.None);
            Assert.True(redeployed.Succeeded, redeployed.Failure?.Reason);

            var lines = new List<LogLine>();
            await foreach (var line in backend.LogsAsync(spec.EnvironmentId, 5, follow: false, CancellationToken.None)) lines.Add(line);
            Assert.NotEmpty((await backend.ObserveAsync(spec.EnvironmentId, CancellationToken.None)).Instances);
        }
        finally
        {
            await backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None);
        }
        Assert.Empty((await backend.ObserveAsync(spec.EnvironmentId, CancellationToken.None)).Instances);
    }

    [RealClusterFact]
    public async Task A_missing_image_fails_with_the_pull_error()
    {
        using var backend = RealCluster.Backend();
        var spec = RealCluster.Spec(image: "registry.invalid/paddock/does-not-exist:1");
        try
        {
            var result = await backend.ApplyAsync(spec, new RealCluster.Events(), CancellationToken.None);
            Assert.False(result.Succeeded);
            Assert.Contains(result.Failure!.Kind, new[] { ApplyFailureKind.ImagePullFailed, ApplyFailureKind.ImageNotFound });
        }
        finally
        {
            await backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None);
        }
    }

    [RealClusterFact]
    public async Task A_crashing_container_fails_with_crash_loop_back_off_and_its_log()
    {
        using var backend = RealCluster.Backend();
        var spec = RealCluster.Spec(image: "busybox:1.36", command: ["sh", "-c", "echo about to fail; exit 3"]);
        try
        {
            var result = await backend.ApplyAsync(spec, new RealCluster.Events(), CancellationToken.None);
            Assert.False(result.Succeeded);
            Assert.Equal(ApplyFailureKind.ExitedAtStart, result.Failure!.Kind);
            Assert.Contains(result.Failure.LastLogLines, l => l.Contains("about to fail"));
        }
        finally
        {
            await backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None);
        }
    }

    [RealClusterFact]
    public async Task A_namespace_owned_by_another_environment_is_refused()
    {
        using var backend = RealCluster.Backend();
        var spec = RealCluster.Spec();
        try
        {
            Assert.True((await backend.ApplyAsync(spec, new RealCluster.Events(), CancellationToken.None)).Succeeded);
            var intruder = spec with { EnvironmentId = Guid.NewGuid(), DeploymentId = Guid.CreateVersion7() };
            var result = await backend.ApplyAsync(intruder, new RealCluster.Events(), CancellationToken.None);
            Assert.False(result.Succeeded);
            await Assert.ThrowsAsync<InvalidOperationException>(() =>
                backend.TearDownAsync(intruder.EnvironmentId, intruder.ResourceName, CancellationToken.None));
        }
        finally
        {
            await backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None);
        }
    }

    [RealClusterFact]
    public async Task A_refused_token_is_reported_as_refused_credentials()
    {
        var kubeconfig = File.ReadAllText(Environment.GetEnvironmentVariable(RealCluster.Variable)!);
        var server = System.Text.RegularExpressions.Regex.Match(kubeconfig, @"server:\s*(\S+)").Groups[1].Value;
        var bad = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: c
              cluster:
                server: {server}
                insecure-skip-tls-verify: true
            users:
            - name: u
              user:
                token: not-a-valid-token
            contexts:
            - name: x
              context:
                cluster: c
                user: u
            current-context: x
            """;
        using var backend = RealCluster.Backend(bad);

        var info = await backend.DescribeAsync(CancellationToken.None);

        Assert.False(info.Reachable);
        Assert.Contains("credentials", info.Reason);
    }
}
