using System.Diagnostics;
using Docker.DotNet.Models;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

/// <summary>The workload's probes on a real engine: readiness of every container gates the rollout (exec probes through
/// the engine's exec API, HTTP probes of a sidecar's port on the instance's network address), and a container failing its
/// liveness probe makes its instance Unhealthy.</summary>
[Collection(EngineCollection.Name)]
public sealed class ProbeTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly DockerBackend _backend = engine.NewBackend(options =>
    {
        options.LivenessPeriod = TimeSpan.FromMilliseconds(300);
        options.LivenessFailureThreshold = 2;
        options.ProbeTimeout = TimeSpan.FromSeconds(10); // a loaded machine's exec can take seconds; a slow pass is no failure
    });

    private readonly List<WorkloadSpec> _applied = [];

    /// <summary>The demo image's web server (on <paramref name="port"/>) after <paramref name="before"/> ran.</summary>
    private static List<string> Serving(int port, string before = "true") =>
        ["/bin/sh", "-c", $"{before}; trap 'exit 0' TERM INT; /bin/httpd -f -p {port} -h /www & wait"];

    private static WorkloadSpec WithSidecar(SidecarSpec sidecar, int timeoutSeconds = 20) => EngineFixture.NewSpec() with
    {
        HealthCheck = new HealthCheck(HealthCheckKind.Http, "/", IntervalSeconds: 1, TimeoutSeconds: timeoutSeconds),
        Sidecars = [sidecar],
    };

    private async Task<(ApplyResult Result, TimeSpan Took, EventRecorder Events)> ApplyAsync(WorkloadSpec spec)
    {
        _applied.Add(spec);
        var events = new EventRecorder();
        var clock = Stopwatch.StartNew();
        var result = await _backend.ApplyAsync(spec, events, CancellationToken.None);
        return (result, clock.Elapsed, events);
    }

    [Fact]
    public async Task The_rollout_waits_for_an_exec_readiness_probe_of_a_sidecar_that_passes_only_once_its_file_exists()
    {
        var spec = WithSidecar(new SidecarSpec
        {
            Name = "helper",
            Image = DemoImages.V2,
            Command = Serving(8081, before: "sleep 2; echo ok > /tmp/ready"),
            Readiness = ProbeAction.Command("cat", "/tmp/ready"),
        });

        var (result, took, events) = await ApplyAsync(spec);

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.True(took >= TimeSpan.FromSeconds(2), $"the apply took {took}, before the sidecar's file existed");
        Assert.Contains(events.Messages, m => m.Contains("readiness probes of helper passed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sidecar_readiness_probe_that_never_passes_fails_the_rollout_naming_the_container_and_probe()
    {
        var spec = WithSidecar(new SidecarSpec
        {
            Name = "helper",
            Image = DemoImages.V2,
            Command = Serving(8081),
            Readiness = ProbeAction.Command("cat", "/tmp/never"),
        }, timeoutSeconds: 3);

        var (result, _, _) = await ApplyAsync(spec);

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.ProbeTimedOut, result.Failure!.Kind);
        Assert.Contains("container helper (exec cat /tmp/never): exited with code 1", result.Failure.Reason);
        Assert.Empty(await engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = DockerLabels.Filter(DockerLabels.Is(DockerLabels.EnvironmentId, spec.EnvironmentId)),
        }));
    }

    [Fact]
    public async Task An_http_readiness_probe_of_a_sidecar_reaches_its_port_on_the_instances_network_address()
    {
        var spec = WithSidecar(new SidecarSpec
        {
            Name = "helper",
            Image = DemoImages.V2,
            Command = Serving(8081, before: "sleep 1.5"),
            Readiness = ProbeAction.Get(8081, "/index.html"),
        });

        var (result, took, _) = await ApplyAsync(spec);

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.True(took >= TimeSpan.FromSeconds(1.5), $"the apply took {took}, before the sidecar listened");
    }

    [Fact]
    public async Task A_container_failing_its_liveness_probe_makes_its_instance_unhealthy_with_an_event_naming_container_and_probe()
    {
        var spec = WithSidecar(new SidecarSpec
        {
            Name = "helper",
            Image = DemoImages.V2,
            Command = Serving(8081, before: "echo ok > /tmp/alive"),
            Liveness = ProbeAction.Command("cat", "/tmp/alive"),
        });
        var (result, _, _) = await ApplyAsync(spec);
        Assert.True(result.Succeeded, result.Failure?.Reason);
        var instance = Assert.Single(result.Instances);
        using var watching = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var failed = FirstLivenessFailureAsync(spec.EnvironmentId, watching.Token);

        // Passing probes for a few periods: nothing happens.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(failed.IsCompleted, "a liveness failure was reported while the file existed");
        Assert.Equal(InstanceState.Running, Assert.Single((await _backend.ObserveAsync(spec.EnvironmentId, CancellationToken.None)).Instances).State);

        await ExecAsync(DockerLabels.SidecarName(spec, spec.Sidecars[0], instance.Ordinal), "/bin/busybox", "rm", "/tmp/alive");

        var reported = await failed;
        Assert.Equal((InstanceChange.FailedLiveness, instance.Name), (reported.Change, reported.InstanceName));
        Assert.Contains("its container helper (exec cat /tmp/alive) 2 times in a row", reported.Message);
        var observed = Assert.Single((await _backend.ObserveAsync(spec.EnvironmentId, CancellationToken.None)).Instances);
        Assert.Equal((instance.Id, InstanceState.Unhealthy), (observed.Id, observed.State));
        Assert.Contains("failed the liveness probe of its container helper", observed.RuntimeState);
        var all = (await _backend.ObserveAllAsync(CancellationToken.None))![spec.EnvironmentId];
        Assert.Equal(InstanceState.Unhealthy, Assert.Single(all.Instances).State);
        await watching.CancelAsync();
    }

    /// <summary>Watches the backend (which runs the liveness probes while watched) until an instance of the environment fails its liveness.</summary>
    private async Task<BackendEvent> FirstLivenessFailureAsync(Guid environmentId, CancellationToken ct)
    {
        await foreach (var change in _backend.WatchAsync(ct))
            if (change.EnvironmentId == environmentId && change.Change == InstanceChange.FailedLiveness) return change;
        throw new InvalidOperationException("The watch ended without a liveness failure.");
    }

    private async Task ExecAsync(string container, params string[] command)
    {
        var created = await engine.Client.Exec.CreateContainerExecAsync(container, new ContainerExecCreateParameters
        {
            Cmd = command, AttachStdout = true, AttachStderr = true,
        });
        using var stream = await engine.Client.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters());
        await stream.ReadOutputToEndAsync(CancellationToken.None);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var spec in _applied) await _backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None);
        _backend.Dispose();
    }
}
