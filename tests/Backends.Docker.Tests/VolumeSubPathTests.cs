using Docker.DotNet.Models;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

/// <summary>Score's volume <c>path</c> on the engine Paddock runs on: Podman 4.3's Docker-compatible API takes the
/// engine API's volume sub-path (<c>VolumeOptions.Subpath</c>, Docker API 1.45) and mounts the whole volume, so the
/// backend says it cannot mount a sub-path and refuses a deployment that asks for one.</summary>
[Collection(EngineCollection.Name)]
public sealed class VolumeSubPathTests(EngineFixture engine)
{
    [Fact]
    public async Task The_engine_mounts_the_whole_volume_when_asked_for_a_sub_path()
    {
        var volume = $"paddock-test-subpath-{Guid.NewGuid():N}"[..32];
        await engine.Client.Volumes.CreateAsync(new VolumesCreateParameters { Name = volume, Labels = new Dictionary<string, string> { [EngineFixture.TestLabel] = "subpath" } });
        try
        {
            Assert.Equal(0, await RunAsync("mkdir -p /v/sub && echo inner > /v/sub/inner && echo outer > /v/outer",
                new HostConfig { Binds = [$"{volume}:/v"] }));

            // Exit 3: only the sub-directory is mounted (what Score asks); exit 4: the whole volume is.
            var seen = await RunAsync("if [ -e /m/inner ] && [ ! -e /m/outer ]; then exit 3; elif [ -e /m/outer ]; then exit 4; else exit 5; fi",
                new HostConfig { Mounts = [new Mount { Type = "volume", Source = volume, Target = "/m", VolumeOptions = new VolumeOptions { Subpath = "sub" } }] });

            Assert.True(seen == 4, seen == 3
                ? "The engine now mounts only the volume's sub-path: DockerBackend can mount Score's volume path with VolumeOptions.Subpath."
                : $"The container saw neither the volume nor its sub-path (exit {seen}).");
        }
        finally
        {
            await engine.Client.Volumes.RemoveAsync(volume, force: true);
        }
    }

    [Fact]
    public async Task The_backend_says_it_cannot_mount_a_sub_path_and_refuses_a_deployment_that_asks_for_one()
    {
        using var backend = engine.NewBackend();
        var spec = EngineFixture.NewSpec() with { Volumes = [new VolumeMount("some-volume", "/data", ReadOnly: false, SubPath: "sites/main")] };

        var applied = await backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.NotNull(((IRuntimeBackend)backend).VolumeSubPathRefusal);
        Assert.Equal(ApplyFailureKind.EngineRejected, applied.Failure?.Kind);
        Assert.Contains("sub-path of a volume", applied.Failure!.Reason);
        Assert.Empty((await backend.ObserveAsync(spec.EnvironmentId, CancellationToken.None)).Instances);
    }

    /// <summary>Runs <paramref name="script"/> in the demo image with these mounts; its exit code.</summary>
    private async Task<long> RunAsync(string script, HostConfig host)
    {
        var created = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = DemoImages.V1,
            Cmd = ["/bin/sh", "-c", script],
            Labels = new Dictionary<string, string> { [EngineFixture.TestLabel] = "subpath" },
            HostConfig = host,
        });
        try
        {
            await engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            return (await engine.Client.Containers.WaitContainerAsync(created.ID)).StatusCode;
        }
        finally
        {
            await engine.Client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }
}
