using k8s;
using k8s.Autorest;
using k8s.Models;
using Paddock.Domain.Backends;
using Paddock.Domain.Resources;

namespace Paddock.Backends.Kubernetes;

/// <summary>The volume seam on a cluster: one PersistentVolumeClaim per volume resource in the environment's namespace
/// (made first if the environment has not deployed yet), mounted by the pod template of the environment's Deployment.
/// A claim is Paddock's only with this environment's id and the resource's uid in its labels.</summary>
public sealed partial class KubernetesBackend : IVolumeBackend
{
    public const string ResourceUidLabel = "paddock.dev/resource-uid";

    /// <summary>The claim's name for a resource uid (a valid DNS label).</summary>
    public static string ClaimName(string uid) => $"volume-{uid}";

    public async Task<VolumeResult> EnsureVolumeAsync(VolumeClaim claim, CancellationToken ct)
    {
        var ns = claim.EnvironmentName.Value;
        var name = ClaimName(claim.Uid);
        try
        {
            var existingNamespace = await ReadNamespaceAsync(ns, ct);
            if (existingNamespace is not null && Refusal(existingNamespace, claim.EnvironmentId) is { } refusal) return VolumeResult.Failed(refusal);
            if (existingNamespace?.Metadata.DeletionTimestamp is not null) return VolumeResult.Failed($"namespace {ns} is still being deleted");
            if (existingNamespace is null)
                await ApplyObjectAsync("Namespace", Manifests.VolumeNamespace(claim), (patch, t) =>
                    _client.CoreV1.PatchNamespaceAsync(patch, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            if (await ReadClaimAsync(ns, name, ct) is { } existing && !IsOurs(existing, claim))
                return VolumeResult.Failed($"PersistentVolumeClaim {ns}/{name} exists and is not the one Paddock made; left in place");
            await ApplyObjectAsync("PersistentVolumeClaim", Manifests.Claim(claim, name, _options), (patch, t) =>
                _client.CoreV1.PatchNamespacedPersistentVolumeClaimAsync(patch, name, ns, fieldManager: FieldManager, force: false, cancellationToken: t), ct);
            return VolumeResult.Done(name);
        }
        catch (ClusterFailure failure)
        {
            return VolumeResult.Failed(failure.Message);
        }
    }

    public async Task<ResourceObservation> ObserveVolumeAsync(VolumeClaim claim, CancellationToken ct)
    {
        try
        {
            return await ReadClaimAsync(claim.EnvironmentName.Value, ClaimName(claim.Uid), ct) is { } found && IsOurs(found, claim)
                ? new ResourceObservation(ResourcePresence.Present)
                : new ResourceObservation(ResourcePresence.Missing, $"the cluster has no PersistentVolumeClaim {claim.EnvironmentName}/{ClaimName(claim.Uid)}");
        }
        catch (ClusterFailure failure)
        {
            return new ResourceObservation(ResourcePresence.Unknown, failure.Message);
        }
    }

    public async Task<VolumeResult> RemoveVolumeAsync(VolumeClaim claim, CancellationToken ct)
    {
        var ns = claim.EnvironmentName.Value;
        var name = ClaimName(claim.Uid);
        try
        {
            if (await ReadClaimAsync(ns, name, ct) is not { } existing) return VolumeResult.Done(name);
            if (!IsOurs(existing, claim)) return VolumeResult.Failed($"PersistentVolumeClaim {ns}/{name} is not the one Paddock made; left in place");
            try
            {
                await _calls.RunAsync($"delete PersistentVolumeClaim {ns}/{name}", t =>
                    _client.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: t), ct);
            }
            catch (HttpOperationException e) when (KubeCalls.IsNotFound(e)) { }
            return VolumeResult.Done(name);
        }
        catch (ClusterFailure failure)
        {
            return VolumeResult.Failed(failure.Message);
        }
    }

    private async Task<V1PersistentVolumeClaim?> ReadClaimAsync(string ns, string name, CancellationToken ct)
    {
        try
        {
            return await _calls.RunAsync($"read PersistentVolumeClaim {ns}/{name}", t =>
                _client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(name, ns, cancellationToken: t), ct);
        }
        catch (HttpOperationException e) when (KubeCalls.IsNotFound(e))
        {
            return null;
        }
    }

    private static bool IsOurs(V1PersistentVolumeClaim found, VolumeClaim claim) =>
        found.Metadata.Labels is { } labels
        && labels.TryGetValue(KubeLabels.EnvironmentId, out var environment) && environment == claim.EnvironmentId.ToString()
        && labels.TryGetValue(ResourceUidLabel, out var uid) && uid == claim.Uid;
}
