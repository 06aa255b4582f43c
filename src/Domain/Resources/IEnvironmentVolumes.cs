using Paddock.Domain.Backends;

namespace Paddock.Domain.Resources;

/// <summary>Where the volumes of an environment live: the volume seam of the backend the environment runs on, so the
/// <c>volume</c> provisioner needs no knowledge of which backend that is.</summary>
public interface IEnvironmentVolumes
{
    /// <summary>The environment's backend (as its volume seam) and the claim of the resource <paramref name="uid"/>;
    /// or why there is none (the environment is gone, its backend is not configured or keeps no volumes).</summary>
    Task<EnvironmentVolume> FindAsync(Guid environmentId, string uid, CancellationToken ct);
}

/// <summary>What <see cref="IEnvironmentVolumes.FindAsync"/> found: a backend and a claim, or a failure.</summary>
public sealed record EnvironmentVolume(IVolumeBackend? Backend, VolumeClaim? Claim, string? Failure)
{
    public static EnvironmentVolume On(IVolumeBackend backend, VolumeClaim claim) => new(backend, claim, null);

    public static EnvironmentVolume None(string reason) => new(null, null, reason);
}
