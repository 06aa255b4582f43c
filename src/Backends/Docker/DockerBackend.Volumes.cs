using Paddock.Domain.Backends;
using Paddock.Domain.Resources;

namespace Paddock.Backends.Docker;

/// <summary>The volume seam on the engine: one named engine volume per volume resource (<see cref="DockerVolumes"/>),
/// mounted by name into the main container of every instance.</summary>
public sealed partial class DockerBackend : IVolumeBackend
{
    /// <summary>The engine volume's name for a resource uid.</summary>
    public static string VolumeName(string uid) => $"paddock-{uid}";

    public async Task<VolumeResult> EnsureVolumeAsync(VolumeClaim claim, CancellationToken ct)
    {
        var name = VolumeName(claim.Uid);
        var outcome = await _volumes.EnsureAsync(name, claim.Uid, claim.EnvironmentId, ct);
        return outcome.Succeeded ? VolumeResult.Done(name) : VolumeResult.Failed(outcome.Failure!);
    }

    public async Task<ResourceObservation> ObserveVolumeAsync(VolumeClaim claim, CancellationToken ct)
    {
        var (exists, reason) = await _volumes.ExistsAsync(VolumeName(claim.Uid), ct);
        return exists switch
        {
            true => new ResourceObservation(ResourcePresence.Present),
            false => new ResourceObservation(ResourcePresence.Missing, $"the engine has no volume {VolumeName(claim.Uid)}"),
            null => new ResourceObservation(ResourcePresence.Unknown, reason),
        };
    }

    public async Task<VolumeResult> RemoveVolumeAsync(VolumeClaim claim, CancellationToken ct)
    {
        var name = VolumeName(claim.Uid);
        var outcome = await _volumes.RemoveAsync(name, claim.Uid, ct);
        return outcome.Succeeded ? VolumeResult.Done(name) : VolumeResult.Failed(outcome.Failure!);
    }
}
