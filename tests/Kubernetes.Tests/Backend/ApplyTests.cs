using System.Text;
using System.Text.Json.Nodes;
using Paddock.Testing.FakeApiServer;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Kubernetes.Tests.Backend;

public sealed class ApplyTests : FakeClusterTest
{
    [Fact]
    public async Task A_workloads_stop_grace_period_is_its_pods_termination_grace_period()
    {
        var spec = Spec() with { StopGracePeriod = TimeSpan.FromSeconds(45) };
        var result = await Within(TimeSpan.FromSeconds(15), Backend().ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        var deployment = Cluster.Store.Get(ResourceTypes.Deployments, spec.ResourceName.Value, "shop")!;
        Assert.Equal(45, deployment["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!.GetValue<int>());
    }

    [Fact]
    public async Task Applying_a_workload_creates_a_labelled_namespace_with_its_config_secret_deployment_service_and_ingress()
    {
        var spec = Spec();
        var result = await Within(TimeSpan.FromSeconds(15), Backend().ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        var ns = spec.ResourceName.Value;
        var nsLabels = LabelSelector.LabelsOf(Cluster.Store.Get(ResourceTypes.Namespaces, "", ns)!);
        Assert.Equal(spec.EnvironmentId.ToString(), nsLabels[KubeLabels.EnvironmentId]);
        Assert.Equal("shop", nsLabels[KubeLabels.App]);
        Assert.Equal("staging", nsLabels[KubeLabels.Environment]);
        Assert.Equal("payments", nsLabels[KubeLabels.Team]);
        Assert.Equal("staging", nsLabels[KubeLabels.Stage]);

        var variables = Cluster.Store.Get(ResourceTypes.ConfigMaps, ns, "variables")!;
        Assert.Equal("hello", variables["data"]!["GREETING"]!.GetValue<string>());
        Assert.Null(variables["data"]!["DB_PASSWORD"]);
        var secrets = Cluster.Store.Get(ResourceTypes.Secrets, ns, "secrets")!;
        Assert.Equal("s3cret-value", Encoding.UTF8.GetString(Convert.FromBase64String(secrets["data"]!["DB_PASSWORD"]!.GetValue<string>())));

        var deployment = Cluster.Store.Get(ResourceTypes.Deployments, ns, "shop")!;
        Assert.Equal(2, deployment["spec"]!["replicas"]!.GetValue<int>());
        var container = deployment["spec"]!["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("registry.example/web:1", container["image"]!.GetValue<string>());
        Assert.Equal(8080, container["ports"]![0]!["containerPort"]!.GetValue<int>());
        Assert.Equal("/healthz", container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/healthz", container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("250m", container["resources"]!["limits"]!["cpu"]!.GetValue<string>());
        Assert.Equal("128Mi", container["resources"]!["requests"]!["memory"]!.GetValue<string>());
        Assert.Equal("variables", container["envFrom"]![0]!["configMapRef"]!["name"]!.GetValue<string>());
        Assert.Equal("secrets", container["envFrom"]![1]!["secretRef"]!["name"]!.GetValue<string>());
        Assert.Equal(spec.DeploymentId.ToString(),
            deployment["spec"]!["template"]!["metadata"]!["labels"]![KubeLabels.DeploymentId]!.GetValue<string>());
        Assert.DoesNotContain("s3cret-value", deployment.ToJsonString());
        // The spec sets no grace period: Docker's default, 10 s, as on the Docker-engine backend.
        Assert.Equal(10, deployment["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!.GetValue<int>());

        var service = Cluster.Store.Get(ResourceTypes.Services, ns, "shop")!;
        Assert.Equal(spec.EnvironmentId.ToString(), service["spec"]!["selector"]![KubeLabels.EnvironmentId]!.GetValue<string>());
        var ingress = Cluster.Store.Get(ResourceTypes.Ingresses, ns, "shop")!;
        Assert.Equal("staging-shop.apps.example.com", ingress["spec"]!["rules"]![0]!["host"]!.GetValue<string>());
        Assert.Equal("nginx", ingress["spec"]!["ingressClassName"]!.GetValue<string>());

        Assert.All(new[] { "namespaces", "configmaps", "secrets", "deployments", "services", "ingresses" },
            plural => Assert.Contains(Cluster.Requests, r => r.StartsWith("PATCH", StringComparison.Ordinal) && r.Contains(plural)
                && r.Contains("fieldManager=paddock") && !r.Contains("force=true")));
    }

    [Fact]
    public async Task A_successful_rollout_reports_progress_and_returns_the_ready_pods_behind_the_service_name()
    {
        var events = new EventRecorder();
        var spec = Spec(replicas: 3);
        var result = await Within(TimeSpan.FromSeconds(15), Backend().ApplyAsync(spec, events, CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.Equal(3, result.Instances.Count);
        Assert.All(result.Instances, i => Assert.Equal(new HostEndpoint("shop.shop-staging.svc.cluster.local", 8080), i.Endpoint));
        Assert.All(result.Instances, i => Assert.Equal(spec.DeploymentId, i.DeploymentId));
        Assert.Contains("3/3 pods ready", events.Messages);
        Assert.Contains(events.Events, e => e.Phase == BackendEventPhase.Ready);
        Assert.DoesNotContain(events.Events, e => e.Message.Contains("s3cret-value"));
        // The rollout's watches end on the server by the rollout's own bound, not at the server's watch timeout.
        var rolloutWatches = Cluster.Requests.Where(r => r.StartsWith("GET /ap", StringComparison.Ordinal)
            && r.Contains("/namespaces/shop-staging/", StringComparison.Ordinal) && r.Contains("watch=true", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rolloutWatches.Count);
        Assert.All(rolloutWatches, r => Assert.Contains($"timeoutSeconds={spec.HealthCheck.TimeoutSeconds + 30}", r));
    }

    [Fact]
    public async Task The_backend_serves_the_environment_itself_at_the_ingress_url_or_at_none_without_a_host_pattern()
    {
        var withIngress = Backend();
        var withoutIngress = Backend(configure: o => o.IngressHostPattern = null);

        var served = await withIngress.ApplyAsync(Spec(app: "shop"), new EventRecorder(), CancellationToken.None);
        var internalOnly = await withoutIngress.ApplyAsync(Spec(app: "cart"), new EventRecorder(), CancellationToken.None);

        Assert.True(withIngress.ServesTraffic);
        Assert.Equal(new Uri("http://staging-shop.apps.example.com/"), served.PublicUrl);
        Assert.True(internalOnly.Succeeded, internalOnly.Failure?.Reason);
        Assert.Null(internalOnly.PublicUrl);
        Assert.Null(Cluster.Store.Get(ResourceTypes.Ingresses, "cart-staging", "cart"));
    }

    [Fact]
    public async Task Applying_the_same_deployment_twice_changes_nothing_and_succeeds_again()
    {
        var backend = Backend();
        var spec = Spec();
        Assert.True((await backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None)).Succeeded);
        var before = Cluster.Store.Get(ResourceTypes.Deployments, spec.ResourceName.Value, "shop")!["metadata"]!["generation"]!.GetValue<long>();

        var again = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.True(again.Succeeded, again.Failure?.Reason);
        Assert.Equal(before, Cluster.Store.Get(ResourceTypes.Deployments, spec.ResourceName.Value, "shop")!["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_redeploy_with_a_new_image_replaces_the_pods_and_a_rollback_brings_the_old_image_back()
    {
        var backend = Backend();
        var first = Spec(image: "registry.example/web:1");
        Assert.True((await backend.ApplyAsync(first, new EventRecorder(), CancellationToken.None)).Succeeded);

        var second = first with { DeploymentId = Guid.CreateVersion7(), Image = "registry.example/web:2" };
        var redeployed = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(second, new EventRecorder(), CancellationToken.None));
        Assert.True(redeployed.Succeeded, redeployed.Failure?.Reason);
        await Eventually(async () => (await backend.ObserveAsync(first.EnvironmentId, CancellationToken.None)).Instances
            .All(i => i.Image == "registry.example/web:2" && i.DeploymentId == second.DeploymentId));

        var rollback = first with { DeploymentId = Guid.CreateVersion7() };
        var rolledBack = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(rollback, new EventRecorder(), CancellationToken.None));
        Assert.True(rolledBack.Succeeded, rolledBack.Failure?.Reason);
        await Eventually(async () => (await backend.ObserveAsync(first.EnvironmentId, CancellationToken.None)).Instances
            is { Count: 2 } instances && instances.All(i => i.Image == "registry.example/web:1" && i.DeploymentId == rollback.DeploymentId));
    }

    [Fact]
    public async Task A_failed_rollout_keeps_the_previous_pods_running()
    {
        var backend = Backend();
        var good = Spec();
        Assert.True((await backend.ApplyAsync(good, new EventRecorder(), CancellationToken.None)).Succeeded);

        var bad = good with { DeploymentId = Guid.CreateVersion7(), Image = "registry.example/web:fail-pull" };
        var result = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(bad, new EventRecorder(), CancellationToken.None));

        Assert.False(result.Succeeded);
        var observed = await backend.ObserveAsync(good.EnvironmentId, CancellationToken.None);
        Assert.Equal(2, observed.Instances.Count(i => i.DeploymentId == good.DeploymentId && i.State == InstanceState.Running));
    }

    internal static async Task Eventually(Func<Task<bool>> condition, int seconds = 10)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, "the condition did not hold in time");
            await Task.Delay(100);
        }
    }
}
