using Docker.DotNet.Models;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

/// <summary>Workloads of several containers: each instance is a group sharing one network namespace (as a pod does),
/// observed, repaired and removed as one instance.</summary>
[Collection(EngineCollection.Name)]
public sealed class SidecarTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly DockerBackend _backend = engine.NewBackend();

    /// <summary>The main container (demo v1) serves what it fetched from localhost:8081, where the sidecar (demo v2)
    /// serves its page: the main container answers "v2" only if the two share localhost.</summary>
    private readonly WorkloadSpec _spec = EngineFixture.NewSpec() with
    {
        Command = ["/bin/sh", "-c",
            "until /bin/busybox wget -q -O /www/index.html http://127.0.0.1:8081/; do sleep 0.2; done; exec httpd -f -p 8080 -h /www"],
        Sidecars =
        [
            new SidecarSpec
            {
                Name = "helper",
                Image = DemoImages.V2,
                Variables = new Dictionary<string, string> { ["PORT"] = "8081" },
            },
        ],
    };

    private async Task<ApplyResult> ApplyAsync(WorkloadSpec workload)
    {
        var result = await _backend.ApplyAsync(workload, new EventRecorder(), CancellationToken.None);
        Assert.True(result.Succeeded, result.Failure?.Reason);
        return result;
    }

    private async Task<IList<ContainerListResponse>> ContainersOfAsync(Guid environmentId) =>
        await engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = DockerLabels.Filter(DockerLabels.Is(DockerLabels.EnvironmentId, environmentId)),
        });

    [Fact]
    public async Task The_containers_of_an_instance_reach_each_other_on_localhost_and_count_as_one_instance()
    {
        var applied = Assert.Single((await ApplyAsync(_spec)).Instances);

        Assert.Equal("paddock demo v2", (await Http.GetAsync(applied.Endpoint)).Trim());
        var instance = Assert.Single((await _backend.ObserveAsync(_spec.EnvironmentId, CancellationToken.None)).Instances);
        Assert.Equal((applied.Id, InstanceState.Running, DemoImages.V1), (instance.Id, instance.State, instance.Image));
        var containers = await ContainersOfAsync(_spec.EnvironmentId);
        Assert.Equal(2, containers.Count);
        var sidecar = Assert.Single(containers, c => c.ID != applied.Id);
        Assert.Equal(("helper", applied.Name), (sidecar.Labels[DockerLabels.Sidecar], sidecar.Labels[DockerLabels.Instance]));
        var all = Assert.Single(await _backend.ObserveAllAsync(CancellationToken.None) is { } everything
            ? everything[_spec.EnvironmentId].Instances : []);
        Assert.Equal(applied.Id, all.Id);

        await _backend.TearDownAsync(_spec.EnvironmentId, _spec.ResourceName, CancellationToken.None);

        Assert.Empty(await ContainersOfAsync(_spec.EnvironmentId));
    }

    [Fact]
    public async Task A_dead_sidecar_is_drift_of_its_instance_and_removing_the_instance_removes_every_container()
    {
        var applied = Assert.Single((await ApplyAsync(_spec with { Replicas = 2 })).Instances, i => i.Ordinal == 1);
        var sidecar = Assert.Single(await ContainersOfAsync(_spec.EnvironmentId), c => c.Labels.TryGetValue(DockerLabels.Instance, out var of)
            && of == applied.Name && c.ID != applied.Id);

        await engine.Client.Containers.KillContainerAsync(sidecar.ID, new ContainerKillParameters { Signal = "KILL" });
        await engine.Client.Containers.WaitContainerAsync(sidecar.ID);

        var observed = (await _backend.ObserveAsync(_spec.EnvironmentId, CancellationToken.None)).Instances;
        Assert.Equal(2, observed.Count);
        var broken = Assert.Single(observed, i => i.Id == applied.Id);
        Assert.Equal((InstanceState.Exited, 137L), (broken.State, broken.ExitCode));
        Assert.Equal(InstanceState.Running, Assert.Single(observed, i => i.Id != applied.Id).State);

        await _backend.RemoveInstancesAsync(_spec.EnvironmentId, [applied.Id], CancellationToken.None);

        var left = await ContainersOfAsync(_spec.EnvironmentId);
        Assert.Equal(2, left.Count);
        Assert.DoesNotContain(left, c => c.Labels.TryGetValue(DockerLabels.Instance, out var of) && of == applied.Name);
    }

    [Fact]
    public async Task Retiring_a_deployment_removes_its_sidecars_with_its_instances()
    {
        await ApplyAsync(_spec);
        var next = _spec with { DeploymentId = Guid.CreateVersion7(), Command = null, Sidecars = [] };
        var current = Assert.Single((await ApplyAsync(next)).Instances);

        await _backend.RetireAsync(_spec.EnvironmentId, _spec.DeploymentId, CancellationToken.None);

        Assert.Equal(current.Id, Assert.Single(await ContainersOfAsync(_spec.EnvironmentId)).ID);
    }

    [Fact]
    public async Task A_sidecar_that_exits_at_start_fails_the_deployment_and_leaves_nothing_behind()
    {
        var failing = _spec with
        {
            HealthCheck = _spec.HealthCheck with { TimeoutSeconds = 30 },
            Sidecars = [_spec.Sidecars[0] with { Command = ["/bin/sh", "-c", "exit 3"] }],
        };

        var result = await _backend.ApplyAsync(failing, new EventRecorder(), CancellationToken.None);

        Assert.Equal(ApplyFailureKind.ExitedAtStart, result.Failure?.Kind);
        Assert.Contains("helper", result.Failure!.Reason);
        Assert.Empty(await ContainersOfAsync(_spec.EnvironmentId));
    }

    [Fact]
    public async Task A_sidecar_pinned_to_a_digest_runs_that_content_after_its_tag_moved()
    {
        var moving = $"localhost/moving-sidecar-{Guid.NewGuid().ToString("N")[..8]}";
        await engine.Client.Images.TagImageAsync(DemoImages.V2, new() { RepositoryName = moving, Tag = "1" });
        var planned = await _backend.ResolveImageAsync($"{moving}:1", CancellationToken.None);
        await engine.Client.Images.TagImageAsync(DemoImages.V1, new() { RepositoryName = moving, Tag = "1" });

        var pinned = _spec with { Sidecars = [_spec.Sidecars[0] with { Image = $"{moving}:1", ImageDigest = planned.Digest }] };
        var applied = Assert.Single((await ApplyAsync(pinned)).Instances);

        // The main container serves what the sidecar serves: v2, the content the tag named when it was resolved.
        Assert.Equal("paddock demo v2", (await Http.GetAsync(applied.Endpoint)).Trim());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _backend.TearDownAsync(_spec.EnvironmentId, _spec.ResourceName, CancellationToken.None);
        _backend.Dispose();
    }
}
