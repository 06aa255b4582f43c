using Docker.DotNet;
using Docker.DotNet.Models;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

/// <summary>Makes sure the engine has a workload's image, pulling it (with the registry's credentials) when missing.</summary>
internal sealed class ImagePuller(IDockerClient client)
{
    /// <summary>Null when the image is present (or was pulled), else the failure that ends the deployment.</summary>
    public async Task<ApplyResult?> EnsureAsync(WorkloadSpec spec, DeploymentEvents events, CancellationToken ct)
    {
        if (await ExistsAsync(spec.Image, ct)) return null;

        events.Info(BackendEventPhase.Pull, $"Pulling {spec.Image}");
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
        var (name, tag) = Split(spec.Image);
        try
        {
            await client.Images.CreateImageAsync(
                new ImagesCreateParameters { FromImage = name, Tag = tag },
                Auth(spec.RegistryCredentials),
                progress,
                ct);
        }
        catch (DockerApiException e)
        {
            error ??= DockerFailures.Message(e);
        }

        if (error is null && await ExistsAsync(spec.Image, ct))
        {
            events.Info(BackendEventPhase.Pull, $"Pulled {spec.Image}");
            return null;
        }
        return PullFailed(spec.Image, error ?? "the engine reported no error, but the image is still missing");
    }

    private async Task<bool> ExistsAsync(string image, CancellationToken ct)
    {
        try
        {
            await client.Images.InspectImageAsync(image, ct);
            return true;
        }
        catch (Exception e) when (DockerFailures.IsNotFound(e))
        {
            return false;
        }
    }

    private static ApplyResult PullFailed(string image, string error)
    {
        if (DockerFailures.IsAuthRefused(error))
            return ApplyResult.Failed(ApplyFailureKind.RegistryAuthRefused, $"The registry refused access to image {image}: {error}");
        if (DockerFailures.IsImageMissing(error))
            return ApplyResult.Failed(ApplyFailureKind.ImageNotFound, $"Image {image} was not found: {error}");
        return ApplyResult.Failed(ApplyFailureKind.ImagePullFailed,
            $"Image {image} was not found on the engine and could not be pulled: {error}");
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
