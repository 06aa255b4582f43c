using System.Text.Json.Nodes;

namespace Paddock.Domain.Resources;

/// <summary>The seam for infrastructure Paddock provisions on a server an admin registered (a resource class):
/// one implementation per resource type (postgres, redis, an admin's external executable). Every call is idempotent
/// on <see cref="ProvisionRequest.Uid"/>: a worker killed half-way runs it again and gets the same result. Expected
/// failures (server down, bad credentials, quota) come back as outcomes with a reason a user can act on, never
/// with a server's raw answer that could hold a credential; exceptions are for bugs.</summary>
public interface IResourceProvisioner
{
    /// <summary>The Score resource type this provisions ("postgres").</summary>
    string Type { get; }

    /// <summary>The outputs every resource of this type has (values and secrets), so that a workload naming one that
    /// does not exist is refused when planned; null when they are known only once provisioned (admins' executables).</summary>
    IReadOnlySet<string>? OutputNames => null;

    /// <summary>False for a type whose resources live where the environment runs (a volume on its backend), not on a
    /// server an admin registers: a workload may then name no class, and no class needs to exist for it.</summary>
    bool RequiresClass => true;

    /// <summary>Errors in a class's settings before an admin saves it, by setting name (empty when fine).</summary>
    IReadOnlyDictionary<string, string> ValidateClass(ResourceClassSettings settings);

    /// <summary>Errors in a workload's <c>params</c> for this type, by JSON pointer under the params (empty when fine).</summary>
    IReadOnlyDictionary<string, string> ValidateParams(JsonObject? parameters);

    /// <summary>Errors in params that name one of the workload's <c>service.ports</c> (a route's <c>port</c>), by JSON
    /// pointer under the params; <paramref name="servicePorts"/> are the workload's ports by name.</summary>
    IReadOnlyDictionary<string, string> ValidateAgainstPorts(JsonObject? parameters, IReadOnlyDictionary<string, int> servicePorts) =>
        new Dictionary<string, string>();

    /// <summary>Creates the resource, or finds what an earlier attempt made, and answers its outputs.</summary>
    Task<ProvisionOutcome> ProvisionAsync(ProvisionRequest request, CancellationToken ct);

    /// <summary>Whether the resource still exists as provisioned (a dropped database is drift).</summary>
    Task<ResourceObservation> ObserveAsync(ProvisionRequest request, CancellationToken ct);

    /// <summary>Removes the resource and everything it holds; a resource already gone is success.
    /// With <see cref="DeprovisionRequest.SnapshotDirectory"/>, its data is saved there first (postgres: pg_dump).</summary>
    Task<DeprovisionOutcome> DeprovisionAsync(DeprovisionRequest request, CancellationToken ct);
}
