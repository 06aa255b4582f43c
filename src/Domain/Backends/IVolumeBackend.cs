using Paddock.Domain.Names;
using Paddock.Domain.Resources;

namespace Paddock.Domain.Backends;

/// <summary>The volume seam of a backend: storage that outlives the environment's containers (an engine volume on
/// the Docker engine, a PersistentVolumeClaim on Kubernetes), made and removed by the <c>volume</c> resource type's
/// provisioner. Every call is idempotent on <see cref="VolumeClaim.Uid"/>; expected failures come back as a reason,
/// not an exception.</summary>
public interface IVolumeBackend
{
    /// <summary>Creates the volume, or finds the one an earlier attempt made, and answers its name in the backend
    /// (what <see cref="VolumeMount.Volume"/> names when a container mounts it).</summary>
    Task<VolumeResult> EnsureVolumeAsync(VolumeClaim claim, CancellationToken ct);

    /// <summary>Whether the volume is there; <see cref="ResourcePresence.Unknown"/> when the backend cannot tell.</summary>
    Task<ResourceObservation> ObserveVolumeAsync(VolumeClaim claim, CancellationToken ct);

    /// <summary>Removes the volume and its data; one already gone is success. Runs after the environment's containers
    /// are gone (a mounted volume may be refused).</summary>
    Task<VolumeResult> RemoveVolumeAsync(VolumeClaim claim, CancellationToken ct);
}

/// <summary>One volume resource of an environment: the environment (<paramref name="EnvironmentName"/> is its name in
/// the backend: the namespace on Kubernetes) and the resource's stable uid, which the volume's name derives from.</summary>
public sealed record VolumeClaim(Guid EnvironmentId, ResourceName EnvironmentName, string Uid);

/// <summary>How a volume call ended: the volume's name in the backend, or why not.</summary>
public sealed record VolumeResult(string? Name, string? Failure)
{
    public bool Succeeded => Failure is null;

    public static VolumeResult Done(string name) => new(name, null);

    public static VolumeResult Failed(string reason) => new(null, reason);
}

/// <summary>A volume mounted into the workload's main container: the volume's name in the backend, where it is
/// mounted, and whether the container may only read it. <paramref name="SubPath"/>: only this sub-directory of the
/// volume is mounted (relative, without <c>.</c> or <c>..</c>); null: the whole volume.</summary>
public sealed record VolumeMount(string Volume, string Target, bool ReadOnly, string? SubPath = null);
