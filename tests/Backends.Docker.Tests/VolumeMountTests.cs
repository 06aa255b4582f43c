using Docker.DotNet;
using Paddock.Domain.Backends;
using Paddock.Domain.Resources;

namespace Paddock.Backends.Docker.Tests;

/// <summary>The backend's volume seam and volume mounts on the real engine: what one deployment writes to a volume,
/// the next one reads; a read-only mount refuses writes.</summary>
[Collection(EngineCollection.Name)]
public sealed class VolumeMountTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly DockerBackend _backend = engine.NewBackend();
    private readonly WorkloadSpec _spec = EngineFixture.NewSpec();
    private VolumeClaim Claim => new(_spec.EnvironmentId, _spec.ResourceName, $"r{Guid.NewGuid():N}"[..20]);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _backend.TearDownAsync(_spec.EnvironmentId, _spec.ResourceName, CancellationToken.None);
        _backend.Dispose();
    }

    private WorkloadSpec Writing(string mark, VolumeMount mount) => _spec with
    {
        DeploymentId = Guid.CreateVersion7(),
        Command = ["/bin/sh", "-c", "echo \"$MARK\" >> /data/log; cp /data/log /www/index.html; exec httpd -f -p 8080 -h /www"],
        Variables = new Dictionary<string, string> { ["MARK"] = mark },
        Volumes = [mount],
    };

    [Fact]
    public async Task What_one_deployment_writes_to_a_volume_the_next_one_reads_and_the_volume_goes_once_its_containers_are_gone()
    {
        var claim = Claim;
        var made = await _backend.EnsureVolumeAsync(claim, CancellationToken.None);
        Assert.True(made.Succeeded, made.Failure);
        Assert.Equal(DockerBackend.VolumeName(claim.Uid), made.Name);
        var mount = new VolumeMount(made.Name!, "/data", ReadOnly: false);

        var first = await _backend.ApplyAsync(Writing("first", mount), new EventRecorder(), CancellationToken.None);
        Assert.True(first.Succeeded, first.Failure?.Reason);
        var second = await _backend.ApplyAsync(Writing("second", mount), new EventRecorder(), CancellationToken.None);
        Assert.True(second.Succeeded, second.Failure?.Reason);

        Assert.Equal("first\nsecond\n", await Http.GetAsync(Assert.Single(second.Instances).Endpoint));
        Assert.Equal(ResourcePresence.Present, (await _backend.ObserveVolumeAsync(claim, CancellationToken.None)).Presence);

        await _backend.TearDownAsync(_spec.EnvironmentId, _spec.ResourceName, CancellationToken.None);
        var removed = await _backend.RemoveVolumeAsync(claim, CancellationToken.None);

        Assert.True(removed.Succeeded, removed.Failure);
        Assert.Equal(ResourcePresence.Missing, (await _backend.ObserveVolumeAsync(claim, CancellationToken.None)).Presence);
        var missing = await Assert.ThrowsAnyAsync<DockerApiException>(() => engine.Client.Volumes.InspectAsync(made.Name!));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_read_only_mount_refuses_writes()
    {
        var claim = Claim;
        var made = await _backend.EnsureVolumeAsync(claim, CancellationToken.None);
        var spec = _spec with
        {
            Command = ["/bin/sh", "-c", "if echo x > /data/probe; then echo writable; else echo read-only; fi > /www/index.html; exec httpd -f -p 8080 -h /www"],
            Volumes = [new VolumeMount(made.Name!, "/data", ReadOnly: true)],
        };
        try
        {
            var applied = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);
            Assert.True(applied.Succeeded, applied.Failure?.Reason);

            Assert.Equal("read-only\n", await Http.GetAsync(Assert.Single(applied.Instances).Endpoint));
        }
        finally
        {
            await _backend.TearDownAsync(_spec.EnvironmentId, _spec.ResourceName, CancellationToken.None);
            await _backend.RemoveVolumeAsync(claim, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_volume_mounted_into_the_main_container_and_a_sidecar_is_shared_and_the_sidecars_read_only_mount_refuses_writes()
    {
        var claim = Claim;
        var made = await _backend.EnsureVolumeAsync(claim, CancellationToken.None);
        // The main container writes to the volume; the sidecar reads it through its read-only mount and tries to write,
        // then serves what it saw on localhost:8081, which the main container serves in turn.
        var spec = _spec with
        {
            Command = ["/bin/sh", "-c",
                "echo shared > /data/note; until /bin/busybox wget -q -O /www/index.html http://127.0.0.1:8081/; do sleep 0.2; done; exec httpd -f -p 8080 -h /www"],
            Volumes = [new VolumeMount(made.Name!, "/data", ReadOnly: false)],
            Sidecars =
            [
                new SidecarSpec
                {
                    Name = "reader",
                    Image = DemoImages.V2,
                    Command = ["/bin/sh", "-c",
                        "/bin/busybox mkdir -p /site; until [ -f /shared/note ]; do sleep 0.1; done; cat /shared/note > /site/index.html; " +
                        "if echo x > /shared/probe; then echo writable; else echo read-only; fi >> /site/index.html; exec httpd -f -p 8081 -h /site"],
                    Volumes = [new VolumeMount(made.Name!, "/shared", ReadOnly: true)],
                },
            ],
        };
        try
        {
            var applied = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);
            Assert.True(applied.Succeeded, applied.Failure?.Reason);

            Assert.Equal("shared\nread-only\n", await Http.GetAsync(Assert.Single(applied.Instances).Endpoint));
        }
        finally
        {
            await _backend.TearDownAsync(_spec.EnvironmentId, _spec.ResourceName, CancellationToken.None);
            await _backend.RemoveVolumeAsync(claim, CancellationToken.None);
        }
    }
}
