using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
    IOptions<PaddockOptions> options,
    TimeProvider clock,
    ILogger<ResourceLifecycle> logger)
{
    public const string Phase = "resources";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Provisions every resource in order; the first failure stops there and is returned as the reason the
    /// deployment fails (nothing after it is attempted, no container starts). Null when all are ready.
    /// A resource named in <paramref name="copies"/> that was never ready before gets the source's data after it is
    /// provisioned and before it counts as ready, so a worker that dies half-way copies again on the retry, and a
    /// later deployment carrying the same snapshot (a redeploy, a rollback) copies nothing.</summary>
    public async Task<string?> ProvisionAsync(Guid environmentId, Guid deploymentId, IReadOnlyList<SnapshotResource> resources, CancellationToken ct,
        IReadOnlyList<SnapshotResourceCopy>? copies = null)
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

            var copy = row.Values.Count == 0 ? copies?.FirstOrDefault(c => c.Resource == wanted.Name) : null;
            var (parameters, failure) = wanted.Params is null ? (null, null)
                : ResourceVariables.ResolveParams(wanted.Params, await OutputsAsync(environmentId, ct));
            failure ??= await ProvisionOneAsync(row, parameters, copy, ct);
            if (failure is not null)
            {
                row.Failed(failure, Now);
                await db.SaveChangesAsync(ct);
                var reason = $"{Describe(wanted.Type)} {wanted.Name} could not be provisioned: {failure}";
                await events.AppendAsync(environmentId, deploymentId, Phase, EventLevel.Error, reason, ct);
                logger.LogWarning("Resource {Resource} of environment {EnvironmentId} failed: {Reason}", wanted.Name, environmentId, failure);
                return reason;
            }
            var copied = copy is null ? "" : $" with a copy of the data of '{copy.FromEnvironment}'";
            await events.AppendAsync(environmentId, deploymentId, Phase, EventLevel.Info, $"{Describe(wanted.Type)} {wanted.Name} ready{copied}", ct);
        }
        return null;
    }

    /// <param name="parameters">The workload's params resolved; null without them (a drift repair: the provisioner
    /// works from its kept state).</param>
    private async Task<string?> ProvisionOneAsync(EnvironmentResource row, System.Text.Json.Nodes.JsonObject? parameters, SnapshotResourceCopy? copy, CancellationToken ct)
    {
        if (provisioners.Find(row.Type) is not { } provisioner) return $"no provisioner of type '{row.Type}' is installed.";
        if (await ClassOfAsync(provisioner, row.Type, row.Class, ct) is not { } settings) return $"there is no {row.Type} class named '{row.Class}'.";
        var outcome = await provisioner.ProvisionAsync(RequestFor(row, settings) with { Params = parameters }, ct);
        if (!outcome.Succeeded) return outcome.Failure;
        if (copy is not null && await CopyIntoAsync(RequestFor(row, settings) with { State = outcome.State }, provisioner, copy, ct) is { } copyFailure)
            return copyFailure;
        row.Ready(outcome.Values,
            outcome.Secrets.ToDictionary(s => s.Key, s => protector.Protect(s.Value), StringComparer.Ordinal),
            outcome.State is null ? null : protector.Protect(outcome.State), Now);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Whether a ready resource is still on its server, as its provisioner sees it (Unknown when the
    /// provisioner or class is gone, or the server does not answer: never a reason to recreate).</summary>
    public async Task<ResourceObservation> ObserveAsync(EnvironmentResource row, CancellationToken ct)
    {
        if (provisioners.Find(row.Type) is not { } provisioner) return new ResourceObservation(ResourcePresence.Unknown, $"no provisioner of type '{row.Type}'.");
        if (await ClassOfAsync(provisioner, row.Type, row.Class, ct) is not { } settings)
            return new ResourceObservation(ResourcePresence.Unknown, $"no {row.Type} class named '{row.Class}'.");
        return await provisioner.ObserveAsync(RequestFor(row, settings), ct);
    }

    /// <summary>Provisions a resource that went missing again, with the state it had (a postgres role keeps its
    /// password, so running containers connect again). Its data is not back: it is recreated empty. Null when ready.</summary>
    public async Task<string?> ProvisionAgainAsync(EnvironmentResource row, CancellationToken ct)
    {
        row.Provisioning(row.Name, row.Position, Now);
        await db.SaveChangesAsync(ct);
        var failure = await ProvisionOneAsync(row, null, copy: null, ct);
        if (failure is null) return null;
        row.Failed(failure, Now);
        await db.SaveChangesAsync(ct);
        return failure;
    }

    /// <summary>Replaces the new resource's data with the source resource's: a dump of the source (kept with the new
    /// resource's backups) restored into it, through the type's backups (the same code as <c>POST …/copy</c>).</summary>
    private async Task<string?> CopyIntoAsync(ProvisionRequest target, IResourceProvisioner provisioner, SnapshotResourceCopy copy, CancellationToken ct)
    {
        var from = $"its data could not be copied from '{copy.FromEnvironment}'";
        if (provisioner is not IResourceBackups backups) return $"{from}: resources of type {provisioner.Type} have no copies.";
        var source = await db.EnvironmentResources.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Uid == copy.FromUid && r.Status == ResourceStatus.Ready, ct);
        if (source is null) return $"{from}: that resource is not ready any more.";
        if (await classes.FindAsync(source.Type, source.Class, ct) is not { } sourceClass) return $"{from}: there is no {source.Type} class named '{source.Class}' any more.";
        var (path, backupFailure) = await backups.BackupAsync(RequestFor(source, sourceClass), options.Value.BackupDirectoryFor(target.Uid), ct);
        if (backupFailure is not null) return $"{from}: {backupFailure}";
        return await backups.RestoreAsync(target, path!, ct) is { } restoreFailure ? $"{from}: {restoreFailure}" : null;
    }

    /// <summary>How the timeline names a resource: "database db".</summary>
    public static string Describe(EnvironmentResource row) => $"{Describe(row.Type)} {row.Name}";

    /// <summary>The engine networks the environment's containers join to reach other environments' workloads: those
    /// its ready <c>service-port</c> resources found (kept in their state).</summary>
    public async Task<IReadOnlyList<string>> NetworksAsync(Guid environmentId, CancellationToken ct)
    {
        var states = await db.EnvironmentResources.AsNoTracking()
            .Where(r => r.EnvironmentId == environmentId && r.Status == ResourceStatus.Ready && r.Type == Provisioners.Network.ServicePortProvisioner.ResourceType)
            .Select(r => r.ProtectedState).ToListAsync(ct);
        return states.Select(s => Provisioners.Network.ServicePortProvisioner.NetworkOf(s is null ? null : protector.Unprotect(s)))
            .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
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

    /// <summary>Deprovisions every resource of the environment that is not gone yet, last provisioned first, under the
    /// environment's resource policy. Stops at the first failure, which stays on that resource's row (Deprovisioning,
    /// with the reason) and is returned, so the environment stays Deleting and the teardown is tried again. Null when
    /// every resource is confirmed gone.</summary>
    public async Task<string?> DeprovisionAllAsync(Guid environmentId, CancellationToken ct) =>
        await DeprovisionAsync(environmentId, null, keep: new HashSet<string>(), ct);

    /// <summary>After a deployment went live: the resources its workload no longer declares (removed from the
    /// workload, or replaced by another type, class or id) go, under the environment's resource policy. The plan
    /// that removed them showed the data loss and was confirmed. A failure stays on the resource's row and in the
    /// timeline, and the next deployment tries again.</summary>
    public async Task<string?> DeprovisionRemovedAsync(Guid environmentId, Guid deploymentId, IReadOnlyList<SnapshotResource> wanted, CancellationToken ct) =>
        await DeprovisionAsync(environmentId, deploymentId, wanted.Select(w => ResourceUid.For(environmentId, w.ResourceId)).ToHashSet(StringComparer.Ordinal), ct);

    private async Task<string?> DeprovisionAsync(Guid environmentId, Guid? deploymentId, IReadOnlySet<string> keep, CancellationToken ct)
    {
        var rows = (await db.EnvironmentResources
            .Where(r => r.EnvironmentId == environmentId && r.Status != ResourceStatus.Deleted && r.Status != ResourceStatus.Retained)
            .OrderByDescending(r => r.Position).ThenByDescending(r => r.CreatedAt)
            .ToListAsync(ct)).Where(r => !keep.Contains(r.Uid)).ToList();
        if (rows.Count == 0) return null;
        var policy = await db.Environments.Where(e => e.Id == environmentId)
            .Select(e => new { e.ResourcePolicy, e.Stage }).SingleAsync(ct);
        var effective = policy.ResourcePolicy ?? ResourcePolicies.DefaultFor(policy.Stage);
        foreach (var row in rows)
        {
            row.Deprovisioning(Now);
            await db.SaveChangesAsync(ct);
            var failure = await DeprovisionOneAsync(row, effective, ct);
            if (failure is not null)
            {
                row.DeprovisionFailed(failure, Now);
                await db.SaveChangesAsync(ct);
                var reason = $"{Describe(row.Type)} {row.Name} could not be removed yet; it will be tried again: {failure}";
                await events.AppendAsync(environmentId, deploymentId, Phase, EventLevel.Warning, reason, ct);
                return reason;
            }
            var done = row.Status == ResourceStatus.Retained ? "kept on its server (policy retain)"
                : row.SnapshotPath is { } path ? $"removed; its data was saved to {path}" : "removed";
            await events.AppendAsync(environmentId, deploymentId, Phase, EventLevel.Info, $"{Describe(row.Type)} {row.Name} {done}", ct);
        }
        return null;
    }

    private async Task<string?> DeprovisionOneAsync(EnvironmentResource row, ResourcePolicy policy, CancellationToken ct)
    {
        if (policy == ResourcePolicy.Retain)
        {
            row.Retained(Now);
            await db.SaveChangesAsync(ct);
            return null;
        }
        if (provisioners.Find(row.Type) is not { } provisioner) return $"no provisioner of type '{row.Type}' is installed.";
        if (await ClassOfAsync(provisioner, row.Type, row.Class, ct) is not { } settings) return $"there is no {row.Type} class named '{row.Class}' any more.";
        // Only types that can dump their data take the snapshot directory; others are simply deleted.
        var snapshotDirectory = policy == ResourcePolicy.Snapshot ? options.Value.SnapshotDirectoryFor(row.EnvironmentId) : null;
        var outcome = await provisioner.DeprovisionAsync(new DeprovisionRequest(RequestFor(row, settings), snapshotDirectory), ct);
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
        Name = row.Name,
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
        "dns" => "host name",
        "route" => "route",
        "service-port" => "address",
        _ => $"{type} resource",
    };
}

/// <summary>A resource of a deleted environment could not be removed yet: the teardown fails and is tried again.</summary>
public sealed class ResourceDeprovisionException(string message) : Exception(message);
