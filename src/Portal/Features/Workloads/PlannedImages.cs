using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Runtime.Backends;

namespace Paddock.Portal.Features.Workloads;

/// <summary>The image a container of a plan runs and the content it resolved to on the environment's backend
/// (<paramref name="Digest"/>); null when the backend resolves it only at deploy, <paramref name="Note"/> says why.</summary>
public sealed record PlannedImage(string Container, string Image, string? Digest, string Note)
{
    public string Describe() => $"container {Container} runs {Image}: {(Digest ?? Note)}";
}

/// <summary>Asks the environment's backend what each container's image resolves to, so a plan shows the content it
/// will run and its apply runs exactly that content (or refuses when a tag moved in between).</summary>
public sealed class PlannedImages(BackendRegistry backends)
{
    /// <summary>Main container first (named <paramref name="mainContainer"/>), then the sidecars in their order.</summary>
    public async Task<IReadOnlyList<PlannedImage>> ResolveAsync(AppEnvironment env, DeploymentSnapshot snapshot, string mainContainer, CancellationToken ct)
    {
        var backend = backends.Find(env.Backend);
        var containers = new List<(string Name, string Image)> { (mainContainer, snapshot.Image) };
        containers.AddRange((snapshot.Sidecars ?? []).Select(s => (s.Name, s.Image)));
        var images = new List<PlannedImage>();
        foreach (var (name, image) in containers)
        {
            var resolved = backend is null
                ? ImageResolution.AtDeploy($"resolved at deploy (backend '{env.Backend}' is not configured in this portal)")
                : await backend.ResolveImageAsync(image, ct);
            images.Add(new PlannedImage(name, image, resolved.Digest, resolved.Note));
        }
        return images;
    }

    /// <summary>What moved between a plan's images and the same containers' images now, or null. Only content a plan
    /// resolved can move: an image it left to the deploy is resolved then.</summary>
    public static string? Moved(IReadOnlyList<PlannedImage> planned, IReadOnlyList<PlannedImage> now)
    {
        var moved = planned
            .Where(p => p.Digest is not null)
            .Select(p => (Planned: p, Now: now.FirstOrDefault(n => n.Container == p.Container && n.Image == p.Image)))
            .Where(pair => pair.Now?.Digest != pair.Planned.Digest)
            .Select(pair => $"image {pair.Planned.Image} of container {pair.Planned.Container} moved (it was {pair.Planned.Digest}, now " +
                (pair.Now is null ? "not run" : pair.Now.Digest ?? pair.Now.Note) + ")")
            .ToList();
        return moved.Count == 0 ? null : string.Join("; ", moved);
    }

    /// <summary>The snapshot pinned to the content the plan showed: the deployment runs it even if a tag moves later.</summary>
    public static DeploymentSnapshot Pin(DeploymentSnapshot snapshot, IReadOnlyList<PlannedImage> planned, string mainContainer)
    {
        var main = planned.FirstOrDefault(p => p.Container == mainContainer && p.Image == snapshot.Image)?.Digest;
        var sidecars = (snapshot.Sidecars ?? [])
            .Select(s => (s.Name, Digest: planned.FirstOrDefault(p => p.Container == s.Name && p.Image == s.Image)?.Digest))
            .Where(s => s.Digest is not null)
            .ToDictionary(s => s.Name, s => s.Digest!, StringComparer.Ordinal);
        return snapshot with
        {
            ImageDigest = main ?? snapshot.ImageDigest,
            SidecarImageDigests = sidecars.Count == 0 ? null : new SortedDictionary<string, string>(sidecars, StringComparer.Ordinal),
        };
    }
}
