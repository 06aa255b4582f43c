using Docker.DotNet.Models;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

[Collection(EngineCollection.Name)]
public sealed class LifecycleTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly DockerBackend _backend = engine.NewBackend();
    private readonly WorkloadSpec _spec = EngineFixture.NewSpec();

    private async Task<ApplyResult> ApplyAsync(WorkloadSpec workload)
    {
        var result = await _backend.ApplyAsync(workload, new EventRecorder(), CancellationToken.None);
        Assert.True(result.Succeeded, result.Failure?.Reason);
        return result;
    }

    [Fact]
    public async Task Removing_others_removes_older_deployments_and_keeps_the_current_one()
    {
        var old = await ApplyAsync(_spec);
        var current = _spec with { DeploymentId = Guid.CreateVersion7(), Image = DemoImages.V2 };
        var next = await ApplyAsync(current);
        Assert.Equal(2, (await _backend.ObserveAsync(_spec.EnvironmentId, CancellationToken.None)).Instances.Count);

        await _backend.RemoveOthersAsync(_spec.EnvironmentId, current.DeploymentId, CancellationToken.None);

        var observed = await _backend.ObserveAsync(_spec.EnvironmentId, CancellationToken.None);
        var left = Assert.Single(observed.Instances);
        Assert.Equal(next.Instances.Single().Id, left.Id);
        Assert.Equal(current.DeploymentId, left.DeploymentId);
        Assert.Equal("paddock demo v2", (await Http.GetAsync(left.Endpoint!)).Trim());
        Assert.DoesNotContain(observed.Instances, i => i.Id == old.Instances.Single().Id);
    }

    [Fact]
    public async Task Retiring_a_deployment_removes_only_its_instances_each_within_its_own_grace_period()
    {
        // httpd as PID 1 ignores SIGTERM: the stop takes the whole grace period, here 3 s (the backend's own is 2 s).
        var old = _spec with { Command = ["/bin/httpd", "-f", "-p", "8080", "-h", "/www"], StopGracePeriod = TimeSpan.FromSeconds(3) };
        await ApplyAsync(old);
        var current = _spec with { DeploymentId = Guid.CreateVersion7(), Image = DemoImages.V2 };
        var next = await ApplyAsync(current);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await _backend.RetireAsync(_spec.EnvironmentId, old.DeploymentId, CancellationToken.None);

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(30));
        var left = Assert.Single((await _backend.ObserveAsync(_spec.EnvironmentId, CancellationToken.None)).Instances);
        Assert.Equal(next.Instances.Single().Id, left.Id);
        await _backend.RetireAsync(_spec.EnvironmentId, old.DeploymentId, CancellationToken.None);   // nothing left: fine
    }

    [Fact]
    public async Task Removing_others_leaves_other_environments_alone()
    {
        var other = EngineFixture.NewSpec();
        try
        {
            await ApplyAsync(_spec);
            await ApplyAsync(other);

            await _backend.RemoveOthersAsync(_spec.EnvironmentId, Guid.NewGuid(), CancellationToken.None);

            Assert.Empty((await _backend.ObserveAsync(_spec.EnvironmentId, CancellationToken.None)).Instances);
            Assert.Single((await _backend.ObserveAsync(other.EnvironmentId, CancellationToken.None)).Instances);
        }
        finally
        {
            await _backend.TearDownAsync(other.EnvironmentId, other.ResourceName, CancellationToken.None);
        }
    }

    [Fact]
    public async Task Observe_reports_a_running_instance_and_then_the_exit_code_of_a_killed_one()
    {
        var applied = (await ApplyAsync(_spec)).Instances.Single();

        var running = Assert.Single((await _backend.ObserveAsync(_spec.EnvironmentId, CancellationToken.None)).Instances);
        Assert.Equal(InstanceState.Running, running.State);
        Assert.Equal(applied.Endpoint, running.Endpoint);
        Assert.Equal(DemoImages.V1, running.Image);
        Assert.Equal(_spec.DeploymentId, running.DeploymentId);
        Assert.Equal(_spec.EnvironmentId.ToString(), running.Labels[DockerLabels.EnvironmentId]);

        await engine.Client.Containers.KillContainerAsync(applied.Id, new ContainerKillParameters { Signal = "KILL" });
        await engine.Client.Containers.WaitContainerAsync(applied.Id);

        var exited = Assert.Single((await _backend.ObserveAsync(_spec.EnvironmentId, CancellationToken.None)).Instances);
        Assert.Equal(InstanceState.Exited, exited.State);
        Assert.Equal(137, exited.ExitCode);
        Assert.Null(exited.Endpoint);
    }

    [Fact]
    public async Task Watch_sees_a_kill_from_outside_then_a_die_event_with_the_environment_id_when_an_instance_is_killed()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<BackendEvent>();
        var started = new TaskCompletionSource();
        var killed = new TaskCompletionSource<BackendEvent>();
        var died = new TaskCompletionSource<BackendEvent>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in _backend.WatchAsync(stop.Token))
            {
                lock (seen) seen.Add(e);
                if (e.EnvironmentId != _spec.EnvironmentId) continue;
                if (e.Action == "start" && e.Change == InstanceChange.Started) started.TrySetResult();
                if (e.Action == "kill") killed.TrySetResult(e);
                if (e.Action == "die") died.TrySetResult(e);
            }
        });

        // The watch is live once it reports our own start; only then does killing prove it sees a death.
        var applied = (await ApplyAsync(_spec)).Instances.Single();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await engine.Client.Containers.KillContainerAsync(applied.Id, new ContainerKillParameters { Signal = "KILL" });

        var death = await died.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(BackendEventPhase.Instance, death.Phase);
        Assert.Equal(_spec.DeploymentId, death.DeploymentId);
        Assert.Equal(applied.Name, death.InstanceName);
        Assert.Equal(BackendEventLevel.Warning, death.Level);
        Assert.Equal(InstanceChange.Ended, death.Change);
        Assert.Equal(InstanceChange.EndedFromOutside, (await killed.Task.WaitAsync(TimeSpan.FromSeconds(5))).Change);
        stop.Cancel();
        await watching.ContinueWith(_ => { });
        lock (seen) Assert.All(seen, e => Assert.NotNull(e.EnvironmentId));
    }

    [Fact]
    public async Task Logs_return_the_last_lines_of_each_instance()
    {
        await ApplyAsync(_spec with
        {
            Command = ["sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done; echo oops >&2; exec httpd -f -p 8080 -h /www"],
        });

        var lines = new List<LogLine>();
        await foreach (var line in _backend.LogsAsync(_spec.EnvironmentId, tail: 3, follow: false, CancellationToken.None))
            lines.Add(line);

        Assert.Equal(3, lines.Count);
        Assert.Equal(["line 4", "line 5"], lines.Where(l => l.Stream == LogStream.Stdout).Select(l => l.Text));
        Assert.Equal("oops", Assert.Single(lines, l => l.Stream == LogStream.Stderr).Text);
        Assert.All(lines, l => Assert.NotNull(l.At));
        Assert.All(lines, l => Assert.StartsWith(_spec.ResourceName.Value, l.InstanceName));
    }

    [Fact]
    public async Task Following_logs_delivers_lines_written_later()
    {
        await ApplyAsync(_spec with
        {
            Command = ["sh", "-c", "(sleep 1; echo later) & exec httpd -f -p 8080 -h /www"],
        });
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        LogLine? later = null;
        await foreach (var line in _backend.LogsAsync(_spec.EnvironmentId, tail: 10, follow: true, stop.Token))
        {
            if (line.Text != "later") continue;
            later = line;
            break;
        }

        Assert.NotNull(later);
    }

    [Fact]
    public async Task Tearing_down_removes_containers_and_network_and_can_run_again()
    {
        await ApplyAsync(_spec with { Replicas = 2 });

        await _backend.TearDownAsync(_spec.EnvironmentId, _spec.ResourceName, CancellationToken.None);
        await _backend.TearDownAsync(_spec.EnvironmentId, _spec.ResourceName, CancellationToken.None);

        Assert.Empty((await _backend.ObserveAsync(_spec.EnvironmentId, CancellationToken.None)).Instances);
        var networks = await engine.Client.Networks.ListNetworksAsync(new NetworksListParameters());
        Assert.DoesNotContain(networks, n => n.Name == _spec.ResourceName.Value);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _backend.TearDownAsync(_spec.EnvironmentId, _spec.ResourceName, CancellationToken.None);
        _backend.Dispose();
    }
}
