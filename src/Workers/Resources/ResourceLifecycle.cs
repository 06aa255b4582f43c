using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Paddock.Domain.Deployments;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Persistence.Events;
using Paddock.Persistence.Secrets;
using Paddock.Runtime.Resources;

namespace Paddock.Workers.Resources;

/// <summary>
/// Provisions an environment's resources before its containers start (in the snapshot's order, each through its
/// type's provisioner on its class) and deprovisions them, in reverse order, when the environment goes. Each step is
/// recorded on the resource's row (status, reason, outputs with secrets encrypted, the provisioner's state encrypted)
/// and in the environment's timeline ("database db ready"). Provisioners are idempotent on the resource's uid, so a
/// worker that died half-way runs the same steps again. Secret outputs never reach an event, a log or a reason.
/// </summary>
public sealed class ResourceLifecycle(
    PaddockDbContext db,
    ResourceProvisioners provisioners,
    ResourceClassSettingsReader classes,
    SecretProtector protector,
    EnvironmentEventLog events,
    TimeProvider clock,
    ILogger<ResourceLifecycle> logger)
{
    public const string Phase = "resources";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Provisions every resource in order; the first failure stops there and is returned as the reason the
    /// deployment fails (nothing after it is attempted, no container starts). Null when all are ready.</summary>
    public async Task<string?> ProvisionAsync(Guid environmentId, Guid deploymentId, IReadOnlyList<SnapshotResource> resources, CancellationToken ct)
    {
        for (var position = 0; position < resources.Count; position++)
        {
            var wanted = resources[position];
            var uid = ResourceUid.For(environmentId, wanted.ResourceId);
            var row = await db.EnvironmentResources.FirstOrDefaultAsync(r => r.EnvironmentId == environmentId && r.Uid == uid, ct);
            if (row is null)
            {
                row = new EnvironmentResource(environmentId, wanted.Name, wanted.Type, wanted.Class, wanted.ResourceId, uid, position, Now);
                db.EnvironmentResources.Add(row);
            }
            else row.Provisioning(wanted.Name, position, Now);
            await db.SaveChangesAsync(ct);

            var failure = await ProvisionOneAsync(row, wanted, ct);
            if (failure is not null)
            {
                row.Failed(failure, Now);
                await db.SaveChangesAsync(ct);
                var reason = $"{Describe(wanted.Type)} {wanted.Name} could not be provisioned: {failure}";
                await events.AppendAsync(environmentId, deploymentId, Phase, EventLevel.Error, reason, ct);
                logger.LogWarning("Resource {Resource} of environment {EnvironmentId} failed: {Reason}", wanted.Name, environmentId, failure);
                return reason;
            }
            await events.AppendAsync(environmentId, deploymentId, Phase, EventLevel.Info, $"{Describe(wanted.Type)} {wanted.Name} ready", ct);
        }
        return null;
    }

    private async Task<string?> ProvisionOneAsync(EnvironmentResource row, SnapshotResource wanted, CancellationToken ct)
    {
        if (provisioners.Find(wanted.Type) is not { } provisioner) return $"no provisioner of type '{wanted.Type}' is installed.";
        if (await ClassOfAsync(provisioner, wanted.Type, wanted.Class, ct) is not { } settings) return $"there is no {wanted.Type} class named '{wanted.Class}'.";
        var outcome = await provisioner.ProvisionAsync(RequestFor(row, settings), ct);
        if (!outcome.Succeeded) return outcome.Failure;
        row.Ready(outcome.Values,
            outcome.Secrets.ToDictionary(s => s.Key, s => protector.Protect(s.Value), StringComparer.Ordinal),
            outcome.State is null ? null : protector.Protect(outcome.State), Now);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The outputs of the environment's ready resources by resource name, secrets decrypted and marked so.</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyDictionary<string, (string Value, bool Secret)>>> OutputsAsync(Guid environmentId, CancellationToken ct)
    {
        var rows = await db.EnvironmentResources.AsNoTracking()
            .Where(r => r.EnvironmentId == environmentId && r.Status == ResourceStatus.Ready).ToListAsync(ct);
        return rows.ToDictionary(r => r.Name, r =>
        {
            var outputs = r.Values.ToDictionary(v => v.Key, v => (v.Value, false), StringComparer.Ordinal);
            foreach (var (name, ciphertext) in r.ProtectedSecrets) outputs[name] = (protector.Unprotect(ciphertext), true);
            return (IReadOnlyDictionary<string, (string, bool)>)outputs;
        }, StringComparer.Ordinal);
    }

    /// <summary>Deprovisions every resource of the environment that is not gone yet, last provisioned first. Stops at
    /// the first failure, which stays on that resource's row (Deprovisioning, with the reason) and is returned, so the
    /// environment stays Deleting and the teardown is tried again. Null when every resource is confirmed gone.</summary>
    public async Task<string?> DeprovisionAllAsync(Guid environmentId, CancellationToken ct)
    {
        var rows = await db.EnvironmentResources
            .Where(r => r.EnvironmentId == environmentId && r.Status != ResourceStatus.Deleted && r.Status != ResourceStatus.Retained)
            .OrderByDescending(r => r.Position).ThenByDescending(r => r.CreatedAt)
            .ToListAsync(ct);
        foreach (var row in rows)
        {
            row.Deprovisioning(Now);
            await db.SaveChangesAsync(ct);
            var failure = await DeprovisionOneAsync(row, ct);
            if (failure is not null)
            {
                row.DeprovisionFailed(failure, Now);
                await db.SaveChangesAsync(ct);
                var reason = $"{Describe(row.Type)} {row.Name} could not be removed yet; it will be tried again: {failure}";
                await events.AppendAsync(environmentId, null, Phase, EventLevel.Warning, reason, ct);
                return reason;
            }
            await events.AppendAsync(environmentId, null, Phase, EventLevel.Info, $"{Describe(row.Type)} {row.Name} removed", ct);
        }
        return null;
    }

    private async Task<string?> DeprovisionOneAsync(EnvironmentResource row, CancellationToken ct)
    {
        if (provisioners.Find(row.Type) is not { } provisioner) return $"no provisioner of type '{row.Type}' is installed.";
        if (await ClassOfAsync(provisioner, row.Type, row.Class, ct) is not { } settings) return $"there is no {row.Type} class named '{row.Class}' any more.";
        var outcome = await provisioner.DeprovisionAsync(new DeprovisionRequest(RequestFor(row, settings), null), ct);
        if (!outcome.Succeeded) return outcome.Failure;
        row.Deleted(outcome.SnapshotPath, Now);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The class's settings; for a type that needs no class (a volume), empty settings when none is registered.</summary>
    private async Task<ResourceClassSettings?> ClassOfAsync(IResourceProvisioner provisioner, string type, string name, CancellationToken ct) =>
        await classes.FindAsync(type, name, ct)
        ?? (provisioner.RequiresClass ? null : new ResourceClassSettings(type, name, new Dictionary<string, string>(), new Dictionary<string, string>()));

    private ProvisionRequest RequestFor(EnvironmentResource row, ResourceClassSettings settings) => new()
    {
        EnvironmentId = row.EnvironmentId,
        ResourceId = row.ResourceId,
        Uid = row.Uid,
        Class = settings,
        State = row.ProtectedState is { } state ? protector.Unprotect(state) : null,
    };

    /// <summary>How the timeline names a resource of a type: "database db ready".</summary>
    private static string Describe(string type) => type switch
    {
        "postgres" => "database",
        "redis" => "cache",
        "volume" => "volume",
        _ => $"{type} resource",
    };
}

/// <summary>A resource of a deleted environment could not be removed yet: the teardown fails and is tried again.</summary>
public sealed class ResourceDeprovisionException(string message) : Exception(message);
