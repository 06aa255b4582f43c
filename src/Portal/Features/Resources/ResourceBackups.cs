using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Paddock.Domain.Access;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Environments;
using Paddock.Runtime.Resources;

namespace Paddock.Portal.Features.Resources;

/// <summary>Day two for an environment's resources: backups on request (files under the data directory,
/// <c>backups/{resource uid}</c>), restoring one of them, and copying a resource's data into the resource of the same
/// name in another environment of the app (a backup of the source restored into the target: what a preview
/// environment needs). The work runs in the request (a dump of a small database takes well under a second); each
/// change is audited. Backups need the deploy scope; restore and copy replace data, so they need the member role.</summary>
public sealed partial class ResourceBackups(
    PaddockDbContext db, EnvironmentLookup lookup, ResourceClassSettingsReader classes, IEnumerable<IResourceBackups> types,
    SecretProtector protector, AuditLog audit, IOptions<PaddockOptions> options)
{
    public async Task<Outcome<IReadOnlyList<ResourceBackupView>>> ListAsync(Caller caller, string appName, string envName, string name, CancellationToken ct)
    {
        var (found, failure) = await FindAsync(caller, appName, envName, name, TeamAccess.Read, "", ct);
        if (found is null) return failure!;
        return Outcome<IReadOnlyList<ResourceBackupView>>.Ok(List(found.Resource.Uid));
    }

    public async Task<Outcome<ResourceBackupView>> BackupAsync(Caller caller, string appName, string envName, string name, CancellationToken ct)
    {
        var (found, failure) = await FindAsync(caller, appName, envName, name, TeamAccess.Deploy,
            "Backing up resources needs the member or owner role in its team, or a deploy-scoped team token.", ct);
        if (found is null) return failure!;
        var (path, backupFailure) = await found.Backups.BackupAsync(found.Request, options.Value.BackupDirectoryFor(found.Resource.Uid), ct);
        if (backupFailure is not null) return Failure.Conflict($"Resource '{name}' could not be backed up: {backupFailure}");
        var view = ViewOf(new FileInfo(path!));
        await audit.SaveChangesAsync(caller.Audit("resource.backed_up", "environment_resource", found.Resource.Id.ToString(), found.Target.App.TeamId,
            found.Target.App.Id, null, new { environment = envName, resource = name, backup = view.Name, view.Size }), ct);
        return view;
    }

    public async Task<Outcome<ResourceBackupView>> RestoreAsync(Caller caller, string appName, string envName, string name, RestoreResourceRequest request, CancellationToken ct)
    {
        var (found, failure) = await FindAsync(caller, appName, envName, name, TeamAccess.Manage,
            "Restoring a resource replaces its data; it needs the member or owner role in its team.", ct);
        if (found is null) return failure!;
        if (string.IsNullOrWhiteSpace(request.Backup)) return Failure.Invalid("backup", "The name of one of the resource's backups (GET …/backups).");
        var backup = List(found.Resource.Uid).FirstOrDefault(b => b.Name == request.Backup);
        if (backup is null) return Failure.Invalid("backup", $"Resource '{name}' has no backup named '{request.Backup}'.");
        var path = Path.Combine(options.Value.BackupDirectoryFor(found.Resource.Uid), backup.Name);
        if (await found.Backups.RestoreAsync(found.Request, path, ct) is { } restoreFailure)
            return Failure.Conflict($"Resource '{name}' could not be restored: {restoreFailure}");
        await audit.SaveChangesAsync(caller.Audit("resource.restored", "environment_resource", found.Resource.Id.ToString(), found.Target.App.TeamId,
            found.Target.App.Id, null, new { environment = envName, resource = name, backup = backup.Name }), ct);
        return backup;
    }

    public async Task<Outcome<ResourceCopyView>> CopyAsync(Caller caller, string appName, string envName, string name, CopyResourceRequest request, CancellationToken ct)
    {
        const string forbidden = "Copying a resource's data replaces the target's; it needs the member or owner role in its team.";
        var (source, failure) = await FindAsync(caller, appName, envName, name, TeamAccess.Manage, forbidden, ct);
        if (source is null) return failure!;
        if (string.IsNullOrWhiteSpace(request.Environment)) return Failure.Invalid("environment", "The environment of this app whose resource takes the data.");
        if (request.Environment == envName) return Failure.Invalid("environment", "A resource cannot be copied onto itself.");
        var (target, targetFailure) = await FindAsync(caller, appName, request.Environment, name, TeamAccess.Manage, forbidden, ct);
        if (target is null)
            return targetFailure!.Kind == OutcomeKind.NotFound ? Failure.Invalid("environment", targetFailure.Message ?? "Not found.") : targetFailure;
        if (target.Resource.Type != source.Resource.Type)
            return Failure.Invalid("environment", $"Resource '{name}' of '{request.Environment}' is a {target.Resource.Type}, not a {source.Resource.Type}.");

        var (path, backupFailure) = await source.Backups.BackupAsync(source.Request, options.Value.BackupDirectoryFor(target.Resource.Uid), ct);
        if (backupFailure is not null) return Failure.Conflict($"Resource '{name}' of '{envName}' could not be copied: {backupFailure}");
        var backup = ViewOf(new FileInfo(path!));
        if (await target.Backups.RestoreAsync(target.Request, path!, ct) is { } restoreFailure)
            return Failure.Conflict($"Resource '{name}' of '{envName}' could not be copied into '{request.Environment}': {restoreFailure}");
        var view = new ResourceCopyView(name, envName, request.Environment, backup);
        await audit.SaveChangesAsync(caller.Audit("resource.copied", "environment_resource", target.Resource.Id.ToString(), target.Target.App.TeamId,
            target.Target.App.Id, null, new { resource = name, from = envName, to = request.Environment, backup = backup.Name }), ct);
        return view;
    }

    private sealed record Found(EnvironmentTarget Target, EnvironmentResource Resource, IResourceBackups Backups, ProvisionRequest Request);

    /// <summary>The resource, checked: visible to the caller (404 otherwise), the caller's access enough (403), a type
    /// that has backups, ready on a class that still exists (409 otherwise).</summary>
    private async Task<(Found? Found, Failure? Failure)> FindAsync(
        Caller caller, string appName, string envName, string name, TeamAccess needed, string forbidden, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return (null, notFound);
        var resource = await db.EnvironmentResources.AsNoTracking()
            .Where(r => r.EnvironmentId == target.Env.Id && r.Name == name && r.Status != ResourceStatus.Deleted)
            .OrderByDescending(r => r.UpdatedAt).FirstOrDefaultAsync(ct);
        if (resource is null) return (null, Failure.NotFound($"Resource '{name}' of '{envName}'"));
        if (target.Access < needed) return (null, Failure.Forbidden(forbidden));
        if (types.FirstOrDefault(t => t.Type == resource.Type) is not { } backups)
            return (null, Failure.Conflict($"Resources of type {resource.Type} have no backups (postgres has)."));
        if (resource.Status != ResourceStatus.Ready)
            return (null, Failure.Conflict($"Resource '{name}' of '{envName}' is {resource.Status}; only a ready resource can be backed up, restored or copied."));
        if (await classes.FindAsync(resource.Type, resource.Class, ct) is not { } settings)
            return (null, Failure.Conflict($"There is no {resource.Type} class named '{resource.Class}' any more."));
        var request = new ProvisionRequest
        {
            EnvironmentId = resource.EnvironmentId,
            ResourceId = resource.ResourceId,
            Uid = resource.Uid,
            Class = settings,
            State = resource.ProtectedState is { } state ? protector.Unprotect(state) : null,
        };
        return (new Found(target, resource, backups, request), null);
    }

    /// <summary>The resource's backups, newest first. Only files named as Paddock names them count, so a name from a
    /// request never reaches the file system unchecked.</summary>
    private IReadOnlyList<ResourceBackupView> List(string uid)
    {
        var directory = new DirectoryInfo(options.Value.BackupDirectoryFor(uid));
        if (!directory.Exists) return [];
        return directory.EnumerateFiles("*.dump").Where(f => BackupName().IsMatch(f.Name))
            .Select(ViewOf).OrderByDescending(b => b.Name, StringComparer.Ordinal).ToList();
    }

    private static ResourceBackupView ViewOf(FileInfo file) => new(file.Name, file.LastWriteTimeUtc, file.Length);

    [GeneratedRegex("^r[a-z2-7]{19}-[0-9]{8}T[0-9]{9}Z\\.dump$")]
    private static partial Regex BackupName();
}
