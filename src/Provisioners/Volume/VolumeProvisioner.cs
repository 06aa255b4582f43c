using System.Text.Json.Nodes;
using Paddock.Domain.Resources;

namespace Paddock.Provisioners.Volume;

/// <summary>Score's <c>volume</c> type: storage that outlives the environment's containers, made on the backend the
/// environment runs on through that backend's volume seam (an engine volume on the Docker engine, a
/// PersistentVolumeClaim on Kubernetes). It needs no class: a volume lives where its containers do. Output
/// <c>name</c> is the volume's name in the backend; a container mounts it with <c>source: ${resources.NAME}</c>.</summary>
public sealed class VolumeProvisioner(IEnvironmentVolumes volumes) : IResourceProvisioner
{
    public const string ResourceType = "volume";

    public string Type => ResourceType;

    public bool RequiresClass => false;

    /// <summary>A volume class has no settings (the backend decides where volumes go).</summary>
    public IReadOnlyDictionary<string, string> ValidateClass(ResourceClassSettings settings)
    {
        var errors = new Dictionary<string, string>();
        foreach (var key in settings.Values.Keys) errors[$"values.{key}"] = "A volume class has no settings.";
        foreach (var key in settings.Secrets.Keys) errors[$"secrets.{key}"] = "A volume class has no settings.";
        return errors;
    }

    public IReadOnlyDictionary<string, string> ValidateParams(JsonObject? parameters)
    {
        var errors = new Dictionary<string, string>();
        foreach (var (name, _) in parameters ?? [])
            errors[$"/{name}"] = "A volume resource takes no params.";
        return errors;
    }

    public async Task<ProvisionOutcome> ProvisionAsync(ProvisionRequest request, CancellationToken ct)
    {
        var found = await volumes.FindAsync(request.EnvironmentId, request.Uid, ct);
        if (found.Backend is null) return ProvisionOutcome.Failed(found.Failure!);
        var made = await found.Backend.EnsureVolumeAsync(found.Claim!, ct);
        return made.Succeeded
            ? ProvisionOutcome.Ready(new Dictionary<string, string> { ["name"] = made.Name! }, new Dictionary<string, string>())
            : ProvisionOutcome.Failed(made.Failure!);
    }

    public async Task<ResourceObservation> ObserveAsync(ProvisionRequest request, CancellationToken ct)
    {
        var found = await volumes.FindAsync(request.EnvironmentId, request.Uid, ct);
        return found.Backend is null
            ? new ResourceObservation(ResourcePresence.Unknown, found.Failure)
            : await found.Backend.ObserveVolumeAsync(found.Claim!, ct);
    }

    public async Task<DeprovisionOutcome> DeprovisionAsync(DeprovisionRequest request, CancellationToken ct)
    {
        var found = await volumes.FindAsync(request.Resource.EnvironmentId, request.Resource.Uid, ct);
        if (found.Backend is null) return DeprovisionOutcome.Failed(found.Failure!);
        var removed = await found.Backend.RemoveVolumeAsync(found.Claim!, ct);
        return removed.Succeeded ? DeprovisionOutcome.Done() : DeprovisionOutcome.Failed(removed.Failure!);
    }
}
