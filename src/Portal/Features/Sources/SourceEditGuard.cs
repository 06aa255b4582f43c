using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Sources;
using Paddock.Persistence;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Sources;

/// <summary>Refuses edits of a git-followed app's workload and settings by anyone but git itself: the file lives in
/// the repository, and that is where it changes. A source with <c>allowEdits</c> lets edits through; they then show as
/// drift until git catches up.</summary>
public sealed class SourceEditGuard(PaddockDbContext db)
{
    /// <summary>Refuses edits of one environment's workload, override or settings when that environment follows git.</summary>
    public async Task<Failure?> RefusalAsync(Caller caller, Guid environmentId, CancellationToken ct)
    {
        if (caller.Actor.Id == GitFollower.Actor.Id) return null;
        var source = await FirstRefusingAsync(s => s.EnvironmentId == environmentId, ct);
        return source is null ? null : Refusal(source, "This environment follows git");
    }

    /// <summary>Refuses edits of the app's own workload and settings (shared by its environments) when any of its
    /// environments follows git.</summary>
    public async Task<Failure?> AppRefusalAsync(Caller caller, Guid applicationId, CancellationToken ct)
    {
        if (caller.Actor.Id == GitFollower.Actor.Id) return null;
        var source = await FirstRefusingAsync(s => s.ApplicationId == applicationId, ct);
        return source is null ? null : Refusal(source, $"Environment '{source.Environment}' of this application follows git");
    }

    private async Task<FollowedFile?> FirstRefusingAsync(Expression<Func<GitSource, bool>> which, CancellationToken ct)
    {
        var found = await db.GitSources.AsNoTracking().Where(which).Where(s => !s.AllowEdits).OrderBy(s => s.CreatedAt)
            .Join(db.GitRepositories, s => s.RepositoryId, r => r.Id, (s, r) => new { s.EnvironmentId, r.Url, s.Ref, s.Path, s.OverridePath })
            .Join(db.Environments, x => x.EnvironmentId, e => e.Id, (x, e) => new { x.Url, x.Ref, x.Path, x.OverridePath, e.Name })
            .FirstOrDefaultAsync(ct);
        return found is null ? null : new FollowedFile(found.Name, found.Url, found.Ref, found.Path, found.OverridePath);
    }

    private static Failure Refusal(FollowedFile source, string who)
    {
        var files = source.OverridePath is null ? source.Path : $"{source.Path} (override: {source.OverridePath})";
        return Failure.Conflict($"{who}: its workload lives in {source.Url} on '{source.Ref}' at {files}. " +
            "Change it there (or stop following with DELETE …/source, or allow edits with allowEdits on the source).");
    }

    private sealed record FollowedFile(Paddock.Domain.Names.EnvironmentName Environment, string Url, string Ref, string Path, string? OverridePath);
}
