using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

public sealed class RegistryPullTests(RegistryFixture registry) : IClassFixture<RegistryFixture>, IDisposable
{
    private readonly DockerBackend _backend = new(
        new DockerBackendOptions { Endpoint = registry.Endpoint, StopTimeout = TimeSpan.FromSeconds(2) }, TimeProvider.System);
    private readonly List<WorkloadSpec> _specs = [];

    private WorkloadSpec Spec(string image, string password)
    {
        var spec = EngineFixture.NewSpec(image) with
        {
            RegistryCredentials = new RegistryCredentials(registry.Address, RegistryFixture.Username, password),
        };
        _specs.Add(spec);
        return spec;
    }

    [RegistryFact]
    public async Task A_private_image_is_pulled_with_the_registry_credentials_with_progress_as_events()
    {
        var spec = Spec(registry.Image, RegistryFixture.Password);
        var recorder = new EventRecorder();

        var result = await _backend.ApplyAsync(spec, recorder, CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.Equal("paddock demo v1", (await Http.GetAsync(result.Instances.Single().Endpoint)).Trim());
        var pulls = recorder.Events.Where(e => e.Phase == BackendEventPhase.Pull).ToList();
        Assert.Contains(pulls, e => e.Message == $"Pulling {registry.Image}");
        Assert.Contains(pulls, e => e.Message == $"Pulled {registry.Image}");
        Assert.DoesNotContain(recorder.Events, e => e.Message.Contains(RegistryFixture.Password));
    }

    [RegistryFact]
    public async Task Wrong_registry_credentials_fail_the_deployment_as_refused()
    {
        var spec = Spec(registry.Image, "wrong-password");

        var result = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.RegistryAuthRefused, result.Failure!.Kind);
        Assert.DoesNotContain("wrong-password", result.Failure.Reason);
    }

    [RegistryFact]
    public async Task An_image_the_registry_does_not_have_fails_the_deployment_as_not_found()
    {
        var spec = Spec($"{registry.Address}/demo:404", RegistryFixture.Password);

        var result = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.ImageNotFound, result.Failure!.Kind);
        Assert.Contains("not found", result.Failure.Reason);
    }

    [RegistryFact]
    public async Task A_pulled_image_reports_the_registry_digest_and_a_pinned_digest_pulls_the_old_content_after_the_tag_moved()
    {
        using var client = registry.NewClient();
        var repository = $"pin{Guid.NewGuid().ToString("N")[..6]}";
        await DemoImages.ImportIfMissingAsync(client, $"localhost/{repository}:a", "a");
        await DemoImages.ImportIfMissingAsync(client, $"localhost/{repository}:b", "b");
        var moving = $"{registry.Address}/{repository}:moving";
        await registry.PushAsync($"localhost/{repository}:a", repository, "moving");
        // Pulled fresh, as from any registry: Podman would also list the digest of the local copy it pushed from.
        await client.Images.DeleteImageAsync($"localhost/{repository}:a", new global::Docker.DotNet.Models.ImageDeleteParameters { Force = true });

        var first = Spec(moving, RegistryFixture.Password);
        var applied = await _backend.ApplyAsync(first, new EventRecorder(), CancellationToken.None);
        Assert.True(applied.Succeeded, applied.Failure?.Reason);
        var pulled = await client.Images.InspectImageAsync(moving);
        Assert.Contains($"{registry.Address}/{repository}@{applied.ImageDigest}", pulled.RepoDigests);

        // The tag moves to other content, and the engine forgets the old content: only the registry has it now.
        await _backend.TearDownAsync(first.EnvironmentId, first.ResourceName, CancellationToken.None);
        await registry.PushAsync($"localhost/{repository}:b", repository, "moving");
        await client.Images.DeleteImageAsync(pulled.ID, new global::Docker.DotNet.Models.ImageDeleteParameters { Force = true });

        var pinned = Spec(moving, RegistryFixture.Password) with { ImageDigest = applied.ImageDigest };
        var recorder = new EventRecorder();
        var again = await _backend.ApplyAsync(pinned, recorder, CancellationToken.None);

        Assert.True(again.Succeeded, again.Failure?.Reason);
        Assert.Equal("paddock demo va", (await Http.GetAsync(again.Instances.Single().Endpoint)).Trim());
        Assert.Equal(applied.ImageDigest, again.ImageDigest);
        Assert.Contains(recorder.Events, e => e.Message == $"Pulling {registry.Address}/{repository}@{applied.ImageDigest}");
    }

    public void Dispose()
    {
        foreach (var spec in _specs)
            _backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None).GetAwaiter().GetResult();
        _backend.Dispose();
    }
}
