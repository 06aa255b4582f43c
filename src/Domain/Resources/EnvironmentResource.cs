namespace Paddock.Domain.Resources;

/// <summary>Where a resource of an environment is in its life.</summary>
public enum ResourceStatus
{
    Provisioning = 0,
    Ready = 1,
    Failed = 2,
    Deprovisioning = 3,
    Deleted = 4,
    /// <summary>Kept on its server when its environment went (the environment's policy said retain).</summary>
    Retained = 5,
}

/// <summary>One provisioned resource of an environment (a workload's <c>resources.db</c>): which class it lives on, its
/// stable <see cref="Uid"/> (physical names derive from it, so provisioning again finds what an earlier attempt made),
/// its status and reason, its outputs (plain values as they are, secrets and the provisioner's state as ciphertext)
/// and its place in the provisioning order (deprovisioning goes the other way).</summary>
public sealed class EnvironmentResource
{
    public Guid Id { get; private set; }
    public Guid EnvironmentId { get; private set; }
    public string Name { get; private set; } = "";
    public string Type { get; private set; } = "";
    public string Class { get; private set; } = "";
    public string ResourceId { get; private set; } = "";
    public string Uid { get; private set; } = "";
    public int Position { get; private set; }
    public ResourceStatus Status { get; private set; }
    public string? Reason { get; private set; }
    public Dictionary<string, string> Values { get; private set; } = [];
    /// <summary>The secret outputs, each value encrypted, by output name.</summary>
    public Dictionary<string, string> ProtectedSecrets { get; private set; } = [];
    public string? ProtectedState { get; private set; }
    /// <summary>The dump kept of its data when it was deleted under the snapshot policy.</summary>
    public string? SnapshotPath { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    private EnvironmentResource() { }

    public EnvironmentResource(Guid environmentId, string name, string type, string @class, string resourceId, string uid, int position, DateTime at)
    {
        Id = Guid.CreateVersion7();
        EnvironmentId = environmentId;
        Name = name;
        Type = type;
        Class = @class;
        ResourceId = resourceId;
        Uid = uid;
        Position = position;
        Status = ResourceStatus.Provisioning;
        CreatedAt = UpdatedAt = at;
    }

    public bool IsGone => Status is ResourceStatus.Deleted or ResourceStatus.Retained;

    /// <summary>Provisioning (again): a redeploy runs every resource's provision, which finds it made already.</summary>
    public void Provisioning(string name, int position, DateTime at)
    {
        Name = name;
        Position = position;
        Status = ResourceStatus.Provisioning;
        Reason = null;
        UpdatedAt = at;
    }

    public void Ready(IReadOnlyDictionary<string, string> values, IReadOnlyDictionary<string, string> protectedSecrets, string? protectedState, DateTime at)
    {
        Values = new Dictionary<string, string>(values, StringComparer.Ordinal);
        ProtectedSecrets = new Dictionary<string, string>(protectedSecrets, StringComparer.Ordinal);
        ProtectedState = protectedState ?? ProtectedState;
        Status = ResourceStatus.Ready;
        Reason = null;
        UpdatedAt = at;
    }

    public void Failed(string reason, DateTime at)
    {
        Status = ResourceStatus.Failed;
        Reason = reason;
        UpdatedAt = at;
    }

    public void Deprovisioning(DateTime at)
    {
        Status = ResourceStatus.Deprovisioning;
        Reason = null;
        UpdatedAt = at;
    }

    /// <summary>A deprovision that failed stays Deprovisioning with its reason, to be tried again.</summary>
    public void DeprovisionFailed(string reason, DateTime at)
    {
        Status = ResourceStatus.Deprovisioning;
        Reason = reason;
        UpdatedAt = at;
    }

    /// <summary>Gone from its server: its outputs and state are forgotten with it.</summary>
    public void Deleted(string? snapshotPath, DateTime at)
    {
        Status = ResourceStatus.Deleted;
        Reason = snapshotPath is null ? null : $"Data kept in {snapshotPath}.";
        SnapshotPath = snapshotPath;
        Values = [];
        ProtectedSecrets = [];
        ProtectedState = null;
        UpdatedAt = at;
    }

    /// <summary>Left on its server, with its data, under the retain policy: Paddock no longer manages it (a later
    /// provisioning of the same resource finds it again and adopts it).</summary>
    public void Retained(DateTime at)
    {
        Status = ResourceStatus.Retained;
        Reason = "Kept on its server with its data (the environment's resource policy is retain).";
        Values = [];
        ProtectedSecrets = [];
        UpdatedAt = at;
    }
}
