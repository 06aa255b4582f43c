using Docker.DotNet;
using Docker.DotNet.Models;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

/// <summary>The image a workload's containers are created from, and the content it stands for.</summary>
internal sealed record ResolvedImage(string Reference, string Digest, string Id);

/// <summary>Makes sure the engine has a workload's image, pulling it (with the registry's credentials) when missing,
/// and tells which content it is, so that a redeploy can ask for exactly that content again.</summary>
internal sealed class ImagePuller(IDockerClient client)
{
    /// <summary>The image to create containers from (with its digest), or the failure that ends the deployment.</summary>
    public Task<(ResolvedImage? Image, ApplyResult? Failure)> EnsureAsync(WorkloadSpec spec, DeploymentEvents events, CancellationToken ct) =>
        EnsureAsync(spec.Image, spec.ImageDigest, spec.RegistryCredentials, events, ct);

    /// <param name="digest">The content a redeploy pinned, else null (whatever <paramref name="image"/> names now).</param>
    public async Task<(ResolvedImage? Image, ApplyResult? Failure)> EnsureAsync(
        string image, string? digest, RegistryCredentials? registryCredentials, DeploymentEvents events, CancellationToken ct)
    {
        var wanted = digest is { } pinned ? $"{Repository(image)}@{pinned}" : image;
        if (await InspectAsync(wanted, ct) is { } present) return (Resolve(wanted, present), null);
        // An image built on the engine has no registry digest, only its id; the id still names that content.
        if (digest is { } id && await InspectAsync(id, ct) is { } local) return (Resolve(id, local), null);

        events.Info(BackendEventPhase.Pull, $"Pulling {wanted}");
        string? error = null;
        var lastStatus = "";
        var progress = new Callback<JSONMessage>(message =>
        {
            if (message.Error is { Message: { Length: > 0 } text }) { error ??= text; return; }
            var status = string.Join(' ', new[] { message.Status, message.ID, message.Progress?.Current is > 0 ? $"{message.Progress.Current}/{message.Progress.Total}" : null }
                .Where(part => !string.IsNullOrEmpty(part)));
            if (status.Length == 0 || status == lastStatus) return;
            lastStatus = status;
            events.Info(BackendEventPhase.Pull, status);
        });
        var (name, tag) = Split(wanted);
        // Credentials go only to the registry they were saved for; an image naming any other host is pulled without.
        var credentials = registryCredentials?.For(wanted);
        try
        {
            await client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = name, Tag = tag },
                Auth(credentials),
                progress,
                ct);
        }
        catch (DockerApiException e)
        {
            error ??= DockerFailures.Message(e);
        }

        if (error is null && await InspectAsync(wanted, ct) is { } pulled)
        {
            events.Info(BackendEventPhase.Pull, $"Pulled {wanted}");
            return (Resolve(wanted, pulled), null);
        }
        return (null, PullFailed(wanted, credentials, error ?? "the engine reported no error, but the image is still missing"));
    }

    /// <summary>The content <paramref name="image"/> names on the engine now, without pulling; null when the engine
    /// does not have it.</summary>
    public async Task<ResolvedImage?> FindAsync(string image, CancellationToken ct) =>
        await InspectAsync(image, ct) is { } found ? Resolve(image, found) : null;

    private async Task<ImageInspectResponse?> InspectAsync(string image, CancellationToken ct)
    {
        try
        {
            return await client.Images.InspectImageAsync(image, ct);
        }
        catch (Exception e) when (DockerFailures.IsNotFound(e))
        {
            return null;
        }
    }

    /// <summary>The registry's manifest digest for the image's repository when it has one (what a registry serves
    /// again, on any engine), else the engine's image id.</summary>
    internal static ResolvedImage Resolve(string reference, ImageInspectResponse image)
    {
        var repository = Repository(reference);
        var digests = (image.RepoDigests ?? []).Where(d => d.Contains('@')).ToList();
        var digest = digests.FirstOrDefault(d => d[..d.IndexOf('@')] == repository) ?? digests.FirstOrDefault();
        return new ResolvedImage(reference, digest is null ? image.ID : digest[(digest.IndexOf('@') + 1)..], image.ID);
    }

    /// <summary><c>repo</c> of <c>repo[:tag][@digest]</c>.</summary>
    internal static string Repository(string image)
    {
        var at = image.IndexOf('@');
        if (at >= 0) image = image[..at];
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[..colon] : image;
    }

    /// <summary>A fixed reason per kind of failure. The engine's text quotes what the registry (a host the user chose)
    /// answered, which would make failures a probe of other hosts, so it is never passed on.</summary>
    internal static ApplyResult PullFailed(string image, RegistryCredentials? credentials, string error)
    {
        var registry = Domain.Registries.RegistryHost.OfImage(image);
        if (DockerFailures.IsAuthRefused(error))
            return ApplyResult.Failed(ApplyFailureKind.RegistryAuthRefused, credentials is null
                ? $"The registry refused access to image {image} without credentials (set the private-registry credentials for {registry})."
                : $"The registry refused the credentials of {credentials.Username} for image {image} (registry {registry}).");
        if (DockerFailures.IsImageMissing(error))
            return ApplyResult.Failed(ApplyFailureKind.ImageNotFound, $"Image {image} was not found on registry {registry}.");
        return ApplyResult.Failed(ApplyFailureKind.ImagePullFailed, $"Image {image} was not found on the engine and could not be pulled: registry {registry} is unreachable or did not answer as a registry.");
    }

    private static AuthConfig? Auth(RegistryCredentials? credentials) => credentials is null
        ? null
        : new AuthConfig { ServerAddress = credentials.Server, Username = credentials.Username, Password = credentials.Password };

    /// <summary>Splits <c>repo[:tag][@digest]</c> into what the engine's pull expects; a digest is passed as the tag,
    /// and a reference without either means <c>latest</c> (an empty tag would pull every tag).</summary>
    internal static (string Name, string Tag) Split(string image)
    {
        var at = image.IndexOf('@');
        if (at >= 0) return (image[..at], image[(at + 1)..]);
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? (image[..colon], image[(colon + 1)..]) : (image, "latest");
    }

    /// <summary>Reports inline: <see cref="Progress{T}"/> would post to the thread pool and reorder messages.</summary>
    private sealed class Callback<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
