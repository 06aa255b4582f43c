using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

[Collection(EngineCollection.Name)]
public sealed class ImageDigestTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly DockerBackend _backend = engine.NewBackend();
    private readonly List<WorkloadSpec> _specs = [];

    private WorkloadSpec Spec(string image)
    {
        var spec = EngineFixture.NewSpec(image);
        _specs.Add(spec);
        return spec;
    }

    [Fact]
    public async Task A_healthy_apply_reports_the_digest_of_the_content_it_runs()
    {
        var result = await _backend.ApplyAsync(Spec(DemoImages.V1), new EventRecorder(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.Reason);
        var image = await engine.Client.Images.InspectImageAsync(DemoImages.V1);
        var expected = image.RepoDigests?.FirstOrDefault() is { } repoDigest ? repoDigest[(repoDigest.IndexOf('@') + 1)..] : image.ID;
        Assert.Equal(expected, result.ImageDigest);
        Assert.StartsWith("sha256:", result.ImageDigest);
    }

    [Fact]
    public async Task A_pinned_digest_runs_the_old_content_after_the_tag_moved_and_the_instance_still_reports_the_tag()
    {
        var moving = $"localhost/moving-{Guid.NewGuid().ToString("N")[..8]}";
        await engine.Client.Images.TagImageAsync(DemoImages.V1, new() { RepositoryName = moving, Tag = "1" });
        var first = await _backend.ApplyAsync(Spec($"{moving}:1"), new EventRecorder(), CancellationToken.None);
        Assert.True(first.Succeeded, first.Failure?.Reason);

        await engine.Client.Images.TagImageAsync(DemoImages.V2, new() { RepositoryName = moving, Tag = "1" });
        var pinned = Spec($"{moving}:1") with { ImageDigest = first.ImageDigest };
        var result = await _backend.ApplyAsync(pinned, new EventRecorder(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.Equal("paddock demo v1", (await Http.GetAsync(result.Instances.Single().Endpoint)).Trim());
        Assert.Equal(first.ImageDigest, result.ImageDigest);
        // The reconciler compares instances with the deployment's image as it was named, not the pinned reference.
        var observed = await _backend.ObserveAsync(pinned.EnvironmentId, CancellationToken.None);
        Assert.Equal($"{moving}:1", observed.Instances.Single().Image);

        var unpinned = await _backend.ApplyAsync(Spec($"{moving}:1"), new EventRecorder(), CancellationToken.None);
        Assert.Equal("paddock demo v2", (await Http.GetAsync(unpinned.Instances.Single().Endpoint)).Trim());
        Assert.NotEqual(first.ImageDigest, unpinned.ImageDigest);
    }

    [Fact]
    public async Task Resolving_an_image_names_the_content_its_tag_names_now_and_leaves_a_missing_one_to_the_deploy()
    {
        var moving = $"localhost/moving-{Guid.NewGuid().ToString("N")[..8]}";
        await engine.Client.Images.TagImageAsync(DemoImages.V1, new() { RepositoryName = moving, Tag = "1" });

        var before = await _backend.ResolveImageAsync($"{moving}:1", CancellationToken.None);
        var applied = await _backend.ApplyAsync(Spec($"{moving}:1"), new EventRecorder(), CancellationToken.None);
        await engine.Client.Images.TagImageAsync(DemoImages.V2, new() { RepositoryName = moving, Tag = "1" });
        var after = await _backend.ResolveImageAsync($"{moving}:1", CancellationToken.None);
        var missing = await _backend.ResolveImageAsync("localhost/not-here:1", CancellationToken.None);

        Assert.True(applied.Succeeded, applied.Failure?.Reason);
        Assert.Equal(applied.ImageDigest, before.Digest);
        Assert.StartsWith("sha256:", after.Digest);
        Assert.NotEqual(before.Digest, after.Digest);
        Assert.Null(missing.Digest);
        Assert.Equal("not on the engine yet: resolved when it is pulled at deploy", missing.Note);
        Assert.Empty(await engine.Client.Images.ListImagesAsync(new() { Filters = new Dictionary<string, IDictionary<string, bool>>
            { ["reference"] = new Dictionary<string, bool> { ["localhost/not-here"] = true } } }));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var spec in _specs)
            await _backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None);
        _backend.Dispose();
    }
}
