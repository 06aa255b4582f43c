using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Catalog;
using Paddock.Domain.Sources;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Resources;
using Paddock.Portal.Features.Sources;

namespace Paddock.Portal.Features.Catalog;

/// <summary>
/// Git catalogs: platform admins register a repository (read at once: the ref must exist and the path be a folder),
/// list and delete them; the git follower refreshes each once per poll interval (<see cref="RefreshAsync"/>). A refresh
/// that cannot reach or read the repository keeps the last good entries and records why.
/// </summary>
public sealed class CatalogSourceService(
    PaddockDbContext db, CatalogSourceReader reader, CatalogEntries catalog, ResourceTypes resourceTypes, GitMirror mirror,
    SecretProtector protector, AuditLog audit, TimeProvider clock, ILogger<CatalogSourceService> logger)
{
    private const string AdminsOnly = "Only platform admins manage catalog sources.";

    public async Task<Outcome<CatalogSourceView>> RegisterAsync(Caller caller, RegisterCatalogSourceRequest request, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        var errors = new FieldErrors();
        request.Validate(errors);
        if (errors.Any) return errors.ToUnprocessable();
        if (await db.CatalogSources.AnyAsync(s => s.Name == request.Name, ct))
            return Failure.Conflict("name", $"A catalog source named '{request.Name}' exists already.");

        var secret = request.Kind switch
        {
            GitCredentialKind.Token => protector.Protect(request.Token!),
            GitCredentialKind.SshKey => protector.Protect(request.SshKey!),
            _ => null,
        };
        var now = clock.GetUtcNow().UtcDateTime;
        var source = new CatalogSource(request.Name!, request.Url!, request.Ref!, request.Folder, request.Kind, secret, caller.Actor.Name, now);
        var read = await reader.ReadAsync(source, new GitCredential(request.Token, request.SshKey), null, ct);
        if (read.Error is not null)
        {
            Forget(source);
            // As for team repositories: a refused credential is the credential's fault, not the URL's.
            var field = read.Field == "url" && request.Kind != GitCredentialKind.None && RefusedCredential(read.Error)
                ? (request.Kind == GitCredentialKind.Token ? "token" : "sshKey") : read.Field!;
            return Failure.Unprocessable(field, read.Error);
        }
        source.Read(read.Commit!, read.Files!, now);
        db.CatalogSources.Add(source);
        try
        {
            await audit.SaveChangesAsync(caller.Audit("catalog_source.registered", "catalog_source", source.Id.ToString(), null, null, null,
                new { source.Name, source.Url, source.Ref, source.Path, credential = source.CredentialKind, commit = source.LastCommit }), ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            Forget(source);
            return Failure.Conflict("name", $"A catalog source named '{request.Name}' exists already.");
        }
        return CatalogSourceView.Of(source, await catalog.ReadAsync(db, resourceTypes.Rules, ct));
    }

    public async Task<Outcome<IReadOnlyList<CatalogSourceView>>> ListAsync(Caller caller, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        var sources = await db.CatalogSources.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
        var listing = await catalog.ReadAsync(db, resourceTypes.Rules, ct);
        return sources.Select(s => CatalogSourceView.Of(s, listing)).ToList();
    }

    public async Task<Outcome<CatalogSourceView>> DeleteAsync(Caller caller, string name, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        if (await db.CatalogSources.FirstOrDefaultAsync(s => s.Name == name, ct) is not { } source) return Failure.NotFound($"Catalog source '{name}'");
        var view = CatalogSourceView.Of(source, await catalog.ReadAsync(db, resourceTypes.Rules, ct));
        db.CatalogSources.Remove(source);
        await audit.SaveChangesAsync(caller.Audit("catalog_source.deleted", "catalog_source", source.Id.ToString(), null, null,
            new { source.Name, source.Url, source.Ref, source.Path, commit = source.LastCommit }, null), ct);
        Forget(source);
        return view;
    }

    /// <summary>Reads the source's ref again (the follower's poll, and tests): a new commit replaces the entries; an
    /// unreachable repository, a missing ref or path keeps them and records the error. Answers whether it read a new commit.</summary>
    public async Task<bool> RefreshAsync(Guid sourceId, CancellationToken ct)
    {
        if (await db.CatalogSources.FirstOrDefaultAsync(s => s.Id == sourceId, ct) is not { } source) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        var credential = source.CredentialKind switch
        {
            GitCredentialKind.Token => new GitCredential(Token: protector.Unprotect(source.ProtectedCredential!)),
            GitCredentialKind.SshKey => new GitCredential(SshKey: protector.Unprotect(source.ProtectedCredential!)),
            _ => GitCredential.None,
        };
        var read = await reader.ReadAsync(source, credential, source.LastCommit, ct);
        if (read.Error is not null)
        {
            logger.LogWarning("Catalog source {Source}: {Error}", source.Name, read.Error);
            source.Failed(read.Error, now);
        }
        else if (read.Files is null) source.Unchanged(now);
        else
        {
            logger.LogInformation("Catalog source {Source} read at {Commit}", source.Name, GitMirror.Short(read.Commit!));
            source.Read(read.Commit!, read.Files, now);
        }
        await db.SaveChangesAsync(ct);
        return read.Files is not null;
    }

    private static bool RefusedCredential(string error) =>
        error.Contains("Authentication", StringComparison.OrdinalIgnoreCase) || error.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)
        || error.Contains("could not read Username", StringComparison.OrdinalIgnoreCase)
        || error.Contains("403", StringComparison.Ordinal) || error.Contains("401", StringComparison.Ordinal);

    /// <summary>Removes the source's local copy (a registration that failed, a deleted source).</summary>
    private void Forget(CatalogSource source)
    {
        var directory = mirror.DirectoryOf(source.Id);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }
}
