using Docker.DotNet;
using Docker.DotNet.Models;

namespace Paddock.Backends.Docker;

/// <summary>The engine side of the <c>volume</c> resource type: named engine volumes that outlive the containers
/// mounting them, labelled with the environment they belong to. Every call is idempotent: creating a volume that
/// exists (an earlier attempt made it) answers it, removing one that is gone succeeds. Failures come back as a
/// sentence, never an exception, except cancellation.</summary>
public sealed class DockerVolumes(Uri endpoint) : IDisposable
{
    /// <summary>The label carrying the resource uid a volume was made for; a volume of that name without it is not
    /// Paddock's and is never taken over or removed.</summary>
    public const string ResourceUidLabel = "paddock.resource-uid";

    private readonly DockerClient _client = new DockerClientBuilder().WithEndpoint(endpoint).Build();

    /// <summary>Creates the volume <paramref name="name"/> (or finds the one an earlier attempt made).</summary>
    public async Task<VolumeOutcome> EnsureAsync(string name, string resourceUid, Guid environmentId, CancellationToken ct)
    {
        try
        {
            if (await InspectAsync(name, ct) is { } existing)
                return IsOurs(existing, resourceUid) ? VolumeOutcome.Done : VolumeOutcome.Failed($"the engine already has a volume {name} that Paddock did not make");
            await _client.Volumes.CreateAsync(new VolumesCreateParameters
            {
                Name = name,
                Labels = new Dictionary<string, string>
                {
                    [DockerLabels.Managed] = "true",
                    [DockerLabels.EnvironmentId] = environmentId.ToString(),
                    [ResourceUidLabel] = resourceUid,
                },
            }, ct);
            return VolumeOutcome.Done;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return VolumeOutcome.Failed(Describe("create", name, e));
        }
    }

    /// <summary>Whether the volume is there (true/false), or null with the reason when the engine cannot tell.</summary>
    public async Task<(bool? Exists, string? Reason)> ExistsAsync(string name, CancellationToken ct)
    {
        try
        {
            return (await InspectAsync(name, ct) is not null, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, Describe("inspect", name, e));
        }
    }

    /// <summary>Removes the volume and its data. A volume still mounted by a container is refused by the engine (the
    /// containers go first); one that is gone already is success.</summary>
    public async Task<VolumeOutcome> RemoveAsync(string name, string resourceUid, CancellationToken ct)
    {
        try
        {
            if (await InspectAsync(name, ct) is not { } existing) return VolumeOutcome.Done;
            if (!IsOurs(existing, resourceUid)) return VolumeOutcome.Failed($"the volume {name} is not the one Paddock made; left in place");
            await _client.Volumes.RemoveAsync(name, force: false, ct);
            return VolumeOutcome.Done;
        }
        catch (Exception e) when (e is not OperationCanceledException && DockerFailures.IsNotFound(e))
        {
            return VolumeOutcome.Done;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return VolumeOutcome.Failed(Describe("remove", name, e));
        }
    }

    private async Task<VolumeResponse?> InspectAsync(string name, CancellationToken ct)
    {
        try
        {
            return await _client.Volumes.InspectAsync(name, ct);
        }
        catch (Exception e) when (DockerFailures.IsNotFound(e))
        {
            return null;
        }
    }

    private static bool IsOurs(VolumeResponse volume, string resourceUid) =>
        volume.Labels is { } labels && labels.TryGetValue(ResourceUidLabel, out var uid) && uid == resourceUid;

    private string Describe(string action, string name, Exception e) => DockerFailures.IsUnreachable(e)
        ? $"the engine at {endpoint} is unreachable ({action} volume {name})"
        : $"the engine refused to {action} volume {name}: {DockerFailures.Message(e)}";

    public void Dispose() => _client.Dispose();
}

/// <summary>How a volume call ended: done, or why not.</summary>
public sealed record VolumeOutcome(string? Failure)
{
    public static readonly VolumeOutcome Done = new((string?)null);

    public bool Succeeded => Failure is null;

    public static VolumeOutcome Failed(string reason) => new(reason);
}
