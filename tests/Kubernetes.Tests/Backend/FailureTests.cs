using Paddock.Testing.FakeApiServer;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Kubernetes.Tests.Backend;

public sealed class FailureTests : FakeClusterTest
{
    [Theory]
    [InlineData("registry.example/web:fail-pull", ApplyFailureKind.ImagePullFailed, "ImagePullBackOff")]
    [InlineData("registry.example/web:err-pull", ApplyFailureKind.ImageNotFound, "ErrImagePull")]
    [InlineData("registry.example/unschedulable:1", ApplyFailureKind.EngineRejected, "Unschedulable")]
    public async Task A_pod_that_cannot_start_fails_the_deployment_with_kubernetes_reason(string image, ApplyFailureKind kind, string reason)
    {
        var events = new EventRecorder();
        var result = await Within(TimeSpan.FromSeconds(15), Backend().ApplyAsync(Spec(image: image), events, CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Equal(kind, result.Failure!.Kind);
        Assert.Contains(reason, result.Failure.Reason);
        Assert.Contains(events.Events, e => e.Phase == BackendEventPhase.Failed && e.Message.Contains(reason));
        // What the registry answered (the fake kubelet's "rpc error: … not found") is never passed on.
        Assert.DoesNotContain("rpc error", result.Failure.Reason);
        Assert.DoesNotContain(events.Events, e => e.Message.Contains("rpc error"));
    }

    [Fact]
    public async Task A_replica_set_that_cannot_create_pods_fails_the_rollout_as_soon_as_its_watch_reports_it()
    {
        // The poll is slower than the test's limit: only the ReplicaSet watch can wake the tracker in time.
        var backend = Backend(configure: o => o.RolloutPollInterval = TimeSpan.FromMinutes(1));
        var spec = Spec(image: "registry.example/never-ready:1", timeoutSeconds: 120);
        var ns = spec.ResourceName.Value;
        var rollout = backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);
        await WaitUntilAsync(() => Cluster.Store.List(ResourceTypes.ReplicaSets, ns, LabelSelector.Everything).Items.Count == 1);
        await Task.Delay(500);   // the tracker has read the ReplicaSet as healthy and sleeps

        var replicaSet = Cluster.Store.List(ResourceTypes.ReplicaSets, ns, LabelSelector.Everything).Items[0];
        Cluster.Store.Update(ResourceTypes.ReplicaSets, ns, replicaSet["metadata"]!["name"]!.GetValue<string>(), rs => rs["status"] = new System.Text.Json.Nodes.JsonObject
        {
            ["conditions"] = new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject
            {
                ["type"] = "ReplicaFailure",
                ["status"] = "True",
                ["reason"] = "FailedCreate",
                ["message"] = "pods \"shop-abc\" is forbidden: exceeded quota: environment-quota, requested: pods=1, used: pods=2, limited: pods=2",
            }),
        });
        var result = await Within(TimeSpan.FromSeconds(10), rollout);

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.EngineRejected, result.Failure!.Kind);
        Assert.Contains("cannot create pods (FailedCreate)", result.Failure.Reason);
        Assert.Contains("exceeded quota", result.Failure.Reason);
        Assert.Contains(Cluster.Requests, r => r.StartsWith($"GET /apis/apps/v1/namespaces/{ns}/replicasets?", StringComparison.Ordinal) && r.Contains("watch=true"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_crash_looping_pod_fails_the_deployment_with_its_last_log_lines()
    {
        var result = await Within(TimeSpan.FromSeconds(15), Backend().ApplyAsync(Spec(image: "registry.example/crash:1"), new EventRecorder(), CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.ExitedAtStart, result.Failure!.Kind);
        Assert.Contains("CrashLoopBackOff", result.Failure.Reason);
        Assert.Contains("last exit code 1", result.Failure.Reason);
        Assert.Contains(result.Failure.LastLogLines, line => line.Contains("panic: configuration missing"));
    }

    [Fact]
    public async Task Pods_that_never_become_ready_fail_the_deployment_once_the_progress_deadline_passes()
    {
        var spec = Spec(image: "registry.example/never-ready:1", timeoutSeconds: 2);
        var result = await Within(TimeSpan.FromSeconds(15), Backend().ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.ProbeTimedOut, result.Failure!.Kind);
        Assert.Contains("ProgressDeadlineExceeded", result.Failure.Reason);
        Assert.Contains("0/2 pods ready", result.Failure.Reason);
        Assert.Contains(result.Failure.LastLogLines, line => line.Contains("listening on :8080"));
    }

    [Fact]
    public async Task An_existing_namespace_without_paddocks_label_is_refused_and_left_untouched()
    {
        var spec = Spec();
        Cluster.Store.Create(ResourceTypes.Namespaces, "", new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["name"] = spec.ResourceName.Value,
                ["labels"] = new System.Text.Json.Nodes.JsonObject { ["owner"] = "someone-else" },
            },
        });
        var backend = Backend();

        var result = await backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);
        var teardown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.EngineRejected, result.Failure!.Kind);
        Assert.Contains("not Paddock's", result.Failure.Reason);
        Assert.Contains("not Paddock's", teardown.Message);
        var ns = Cluster.Store.Get(ResourceTypes.Namespaces, "", spec.ResourceName.Value)!;
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "someone-else" }, LabelSelector.LabelsOf(ns));
        Assert.Null(ns["metadata"]!["deletionTimestamp"]);
        Assert.Empty(Cluster.Store.Contents(spec.ResourceName.Value));
        Assert.DoesNotContain(Cluster.Requests, r => r.StartsWith("PATCH", StringComparison.Ordinal) || r.StartsWith("DELETE", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_namespace_owned_by_another_environment_is_refused()
    {
        var spec = Spec();
        Assert.True((await Backend().ApplyAsync(spec, new EventRecorder(), CancellationToken.None)).Succeeded);

        var other = Spec(environmentId: Guid.NewGuid());
        var result = await Backend().ApplyAsync(other, new EventRecorder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains(spec.EnvironmentId.ToString(), result.Failure!.Reason);
    }

    [Fact]
    public async Task An_unreachable_cluster_is_retried_with_backoff_then_reported_clearly()
    {
        var closedPort = ClosedPort();
        var backend = Backend(FakeKubeApiServer.KubeconfigFor(new Uri($"http://127.0.0.1:{closedPort}"), "any"));

        var started = DateTime.UtcNow;
        var result = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(Spec(), new EventRecorder(), CancellationToken.None));
        var info = await backend.DescribeAsync(CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.EngineUnreachable, result.Failure!.Kind);
        Assert.Contains("unreachable (3 tries", result.Failure.Reason);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(150), "retries pause 50ms, then 100ms");
        Assert.False(info.Reachable);
        Assert.Contains("unreachable", info.Reason);
    }

    [Fact]
    public async Task A_kubeconfig_with_a_refused_token_is_reported_as_refused_credentials()
    {
        var backend = Backend(Cluster.Kubeconfig(token: "wrong-token"));

        var result = await backend.ApplyAsync(Spec(), new EventRecorder(), CancellationToken.None);
        var info = await backend.DescribeAsync(CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.EngineUnreachable, result.Failure!.Kind);
        Assert.Contains("refused Paddock's credentials (401 Unauthorized)", result.Failure.Reason);
        Assert.False(info.Reachable);
        Assert.Contains("credentials", info.Reason);
    }

    [Fact]
    public async Task Describe_reports_the_server_version()
    {
        var info = await Backend().DescribeAsync(CancellationToken.None);

        Assert.True(info.Reachable, info.Reason);
        Assert.Equal("kubernetes", info.Kind);
        Assert.Equal("v1.31.0-fake", info.Version);
    }

    private static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
