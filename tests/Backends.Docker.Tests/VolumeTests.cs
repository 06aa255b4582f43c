using Docker.DotNet;
using Docker.DotNet.Models;

namespace Paddock.Backends.Docker.Tests;

/// <summary>Named engine volumes (the volume resource type's engine side) on the real engine.</summary>
[Collection(EngineCollection.Name)]
public sealed class VolumeTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly string _name = $"paddock-test-vol-{Guid.NewGuid():N}"[..32];
    private readonly string _uid = $"r{Guid.NewGuid():N}"[..20];
    private readonly Guid _environment = Guid.NewGuid();
    private DockerVolumes _volumes = null!;

    public Task InitializeAsync()
    {
        _volumes = new DockerVolumes(engine.Endpoint);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _volumes.Dispose();
        try
        {
            await engine.Client.Volumes.RemoveAsync(_name, force: true);
        }
        catch (DockerApiException) { }
    }

    [Fact]
    public async Task Ensuring_a_volume_creates_it_labelled_with_its_environment_and_again_finds_it()
    {
        var first = await _volumes.EnsureAsync(_name, _uid, _environment, CancellationToken.None);
        var again = await _volumes.EnsureAsync(_name, _uid, _environment, CancellationToken.None);

        Assert.True(first.Succeeded, first.Failure);
        Assert.True(again.Succeeded, again.Failure);
        var volume = await engine.Client.Volumes.InspectAsync(_name);
        Assert.Equal(_environment.ToString(), volume.Labels[DockerLabels.EnvironmentId]);
        Assert.Equal(_uid, volume.Labels[DockerVolumes.ResourceUidLabel]);
        Assert.Equal((true, (string?)null), await _volumes.ExistsAsync(_name, CancellationToken.None));
    }

    [Fact]
    public async Task Removing_a_volume_deletes_it_and_removing_it_again_succeeds()
    {
        await _volumes.EnsureAsync(_name, _uid, _environment, CancellationToken.None);

        var removed = await _volumes.RemoveAsync(_name, _uid, CancellationToken.None);
        var again = await _volumes.RemoveAsync(_name, _uid, CancellationToken.None);

        Assert.True(removed.Succeeded, removed.Failure);
        Assert.True(again.Succeeded, again.Failure);
        Assert.Equal((false, (string?)null), await _volumes.ExistsAsync(_name, CancellationToken.None));
        var left = await engine.Client.Volumes.ListAsync(new VolumesListParameters());
        Assert.DoesNotContain(left.Volumes ?? [], v => v.Name == _name);
    }

    [Fact]
    public async Task A_volume_a_container_still_mounts_is_not_removed_until_the_container_is_gone()
    {
        await _volumes.EnsureAsync(_name, _uid, _environment, CancellationToken.None);
        var container = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = DemoImages.V1,
            Cmd = ["/bin/sleep", "60"],
            Labels = new Dictionary<string, string> { [EngineFixture.TestLabel] = "backends-docker" },
            HostConfig = new HostConfig { Binds = [$"{_name}:/data"] },
        });
        try
        {
            var refused = await _volumes.RemoveAsync(_name, _uid, CancellationToken.None);

            Assert.False(refused.Succeeded);
            Assert.StartsWith($"the engine refused to remove volume {_name}:", refused.Failure, StringComparison.Ordinal);
            Assert.Equal(true, (await _volumes.ExistsAsync(_name, CancellationToken.None)).Exists);
        }
        finally
        {
            await engine.Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }

        var removed = await _volumes.RemoveAsync(_name, _uid, CancellationToken.None);
        Assert.True(removed.Succeeded, removed.Failure);
    }

    [Fact]
    public async Task A_volume_of_that_name_that_paddock_did_not_make_is_neither_taken_over_nor_removed()
    {
        await engine.Client.Volumes.CreateAsync(new VolumesCreateParameters { Name = _name });

        var ensured = await _volumes.EnsureAsync(_name, _uid, _environment, CancellationToken.None);
        var removed = await _volumes.RemoveAsync(_name, _uid, CancellationToken.None);

        Assert.Equal($"the engine already has a volume {_name} that Paddock did not make", ensured.Failure);
        Assert.False(removed.Succeeded);
        Assert.Equal(true, (await _volumes.ExistsAsync(_name, CancellationToken.None)).Exists);
    }

    [Fact]
    public async Task An_unreachable_engine_is_a_failure_with_a_reason_not_an_exception()
    {
        using var volumes = new DockerVolumes(new Uri("unix:///tmp/paddock-no-such-engine.sock"));

        var ensured = await volumes.EnsureAsync(_name, _uid, _environment, CancellationToken.None);
        var exists = await volumes.ExistsAsync(_name, CancellationToken.None);

        Assert.Equal($"the engine at unix:///tmp/paddock-no-such-engine.sock is unreachable (create volume {_name})", ensured.Failure);
        Assert.Null(exists.Exists);
        Assert.NotNull(exists.Reason);
    }
}
