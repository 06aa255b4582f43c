using System.Text.Json.Nodes;

namespace Paddock.Domain.Resources;

/// <summary>One resource of one environment, as a provisioner sees it.</summary>
public sealed record ProvisionRequest
{
    public required Guid EnvironmentId { get; init; }

    /// <summary>The Score resource id: <c>type.class#workload.name</c>, or the shared <c>id</c> the workload gave.</summary>
    public required string ResourceId { get; init; }

    /// <summary>The resource's name in the workload (<c>resources.db</c>: "db"); names derived for users start with it.</summary>
    public string Name { get; init; } = "";

    /// <summary>Physical names derive from this (<see cref="ResourceUid"/>): stable for the environment and resource
    /// id, lowercase letters and digits, safe as a database, role, user or key-prefix name on any server.</summary>
    public required string Uid { get; init; }

    public required ResourceClassSettings Class { get; init; }

    /// <summary>The workload's params with their placeholders resolved; null when the workload gave none, and on calls
    /// made without the workload at hand (drift repair, deprovisioning): keep in <see cref="State"/> what they need.</summary>
    public JsonObject? Params { get; init; }

    /// <summary>The opaque state the previous provision answered (decrypted), null the first time.</summary>
    public string? State { get; init; }
}

/// <summary>A resource to remove; <see cref="SnapshotDirectory"/> set when the environment's policy keeps a copy of
/// its data first (snapshot-then-delete).</summary>
public sealed record DeprovisionRequest(ProvisionRequest Resource, string? SnapshotDirectory);
