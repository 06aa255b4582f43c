using Docker.DotNet.Models;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

[Collection(EngineCollection.Name)]
public sealed class ApplyTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly DockerBackend _backend = engine.NewBackend();
    private readonly List<WorkloadSpec> _specs = [];

    private WorkloadSpec Spec(string image = DemoImages.V1)
    {
        var spec = EngineFixture.NewSpec(image);
        _specs.Add(spec);
        return spec;
    }

    [Fact]
    public async Task Applying_a_workload_starts_a_labelled_container_on_its_own_network_that_answers_on_the_reported_endpoint()
    {
        var spec = Spec() with { Limits = new ResourceLimits(250, 64) };

        var result = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.Reason);
        var instance = Assert.Single(result.Instances);
        Assert.Equal("127.0.0.1", instance.Endpoint.Host);
        Assert.Equal("paddock demo v1", (await Http.GetAsync(instance.Endpoint)).Trim());
        var container = await engine.Client.Containers.InspectContainerAsync(instance.Id);
        Assert.Equal($"{spec.ResourceName}-{spec.DeploymentId.ToString("N")[^8..]}-1", container.Name.TrimStart('/'));
        Assert.Equal("true", container.Config!.Labels[DockerLabels.Managed]);
        Assert.Equal(spec.EnvironmentId.ToString(), container.Config.Labels[DockerLabels.EnvironmentId]);
        Assert.Equal(spec.AppName.Value, container.Config.Labels[DockerLabels.App]);
        Assert.Equal("dev", container.Config.Labels[DockerLabels.Environment]);
        Assert.Equal(spec.DeploymentId.ToString(), container.Config.Labels[DockerLabels.DeploymentId]);
        Assert.Contains(spec.ResourceName.Value, container.NetworkSettings!.Networks.Keys);
        Assert.Equal(250_000_000, container.HostConfig!.NanoCPUs);
        Assert.Equal(64L * 1024 * 1024, container.HostConfig.Memory);
        Assert.True(container.HostConfig.RestartPolicy.Name is RestartPolicyKind.No or RestartPolicyKind.Undefined,
            $"restart policy {container.HostConfig.RestartPolicy.Name}");
    }

    [Fact]
    public async Task Applying_the_same_deployment_twice_reuses_the_running_container()
    {
        var spec = Spec();

        var first = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);
        var second = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.True(second.Succeeded, second.Failure?.Reason);
        Assert.Equal(first.Instances.Single().Id, second.Instances.Single().Id);
        Assert.Single((await _backend.ObserveAsync(spec.EnvironmentId, CancellationToken.None)).Instances);
    }

    [Fact]
    public async Task Two_replicas_get_two_endpoints_that_both_answer()
    {
        var spec = Spec() with { Replicas = 2 };

        var result = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.Equal(2, result.Instances.Select(i => i.Endpoint).Distinct().Count());
        foreach (var instance in result.Instances)
            Assert.Equal("paddock demo v1", (await Http.GetAsync(instance.Endpoint)).Trim());
    }

    [Fact]
    public async Task Variables_and_secrets_reach_the_container_but_not_the_events()
    {
        var spec = Spec() with
        {
            Command = ["sh", "-c", "echo \"$GREETING $API_TOKEN\" > /www/index.html; exec httpd -f -p 8080 -h /www"],
            Variables = new Dictionary<string, string> { ["GREETING"] = "hello", ["API_TOKEN"] = "overridden" },
            Secrets = new Dictionary<string, string> { ["API_TOKEN"] = "s3cr3t-value" },
        };
        var recorder = new EventRecorder();

        var result = await _backend.ApplyAsync(spec, recorder, CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.Equal("hello s3cr3t-value", (await Http.GetAsync(result.Instances.Single().Endpoint)).Trim());
        Assert.DoesNotContain(recorder.Events, e => e.Message.Contains("s3cr3t-value"));
        Assert.DoesNotContain("s3cr3t-value", spec.ToString());
    }

    [Fact]
    public async Task A_missing_image_fails_the_deployment_with_a_not_found_reason()
    {
        var spec = Spec("localhost/paddock-missing:1");

        var result = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Failure!.Kind, new[] { ApplyFailureKind.ImageNotFound, ApplyFailureKind.ImagePullFailed });
        Assert.Contains("not found", result.Failure.Reason);
        Assert.Contains("localhost/paddock-missing:1", result.Failure.Reason);
    }

    [Fact]
    public async Task A_container_that_exits_at_start_fails_the_deployment_with_its_last_log_lines()
    {
        var spec = Spec() with { Command = ["sh", "-c", "echo starting; echo 'DATABASE_URL is not set' >&2; exit 3"] };

        var result = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.ExitedAtStart, result.Failure!.Kind);
        Assert.Contains("exited with code 3", result.Failure.Reason);
        Assert.Contains("DATABASE_URL is not set", result.Failure.LastLogLines);
        Assert.Empty((await _backend.ObserveAsync(spec.EnvironmentId, CancellationToken.None)).Instances);
    }

    [Fact]
    public async Task A_probe_that_never_passes_fails_the_deployment_after_the_timeout()
    {
        var spec = Spec() with { HealthCheck = new HealthCheck(HealthCheckKind.Http, "/healthz", IntervalSeconds: 1, TimeoutSeconds: 2) };
        var started = DateTime.UtcNow;

        var result = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.ProbeTimedOut, result.Failure!.Kind);
        Assert.Contains("within 2s", result.Failure.Reason);
        Assert.Contains("404", result.Failure.Reason);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_tcp_health_check_passes_when_the_port_accepts_connections()
    {
        var spec = Spec() with { HealthCheck = new HealthCheck(HealthCheckKind.Tcp, null, IntervalSeconds: 1, TimeoutSeconds: 20) };

        var result = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.Reason);
    }

    [Fact]
    public async Task Progress_reports_create_start_probe_and_ready_in_order()
    {
        var spec = Spec();
        var recorder = new EventRecorder();

        await _backend.ApplyAsync(spec, recorder, CancellationToken.None);

        var phases = recorder.Events.Select(e => e.Phase).Distinct().ToList();
        Assert.Equal([BackendEventPhase.Network, BackendEventPhase.Create, BackendEventPhase.Start, BackendEventPhase.Probe, BackendEventPhase.Ready], phases);
        Assert.All(recorder.Events, e => Assert.Equal(spec.EnvironmentId, e.EnvironmentId));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var spec in _specs) await _backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None);
        _backend.Dispose();
    }
}
