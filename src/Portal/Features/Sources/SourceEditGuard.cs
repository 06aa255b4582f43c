using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Sources;

/// <summary>Refuses edits of a git-followed environment's workload and override by anyone but git itself: the file
/// lives in the repository, and that is where it changes.</summary>
public sealed class SourceEditGuard(PaddockDbContext db)
{
    public async Task<Failure?> RefusalAsync(Caller caller, Guid environmentId, CancellationToken ct)
    {
        if (caller.Actor.Id == GitFollower.Actor.Id) return null;
        var source = await db.GitSources.AsNoTracking().Where(s => s.EnvironmentId == environmentId)
            .Join(db.GitRepositories, s => s.RepositoryId, r => r.Id, (s, r) => new { r.Url, s.Ref, s.Path, s.OverridePath }).FirstOrDefaultAsync(ct);
        if (source is null) return null;
        var files = source.OverridePath is null ? source.Path : $"{source.Path} (override: {source.OverridePath})";
        return Failure.Conflict($"This environment follows git: its workload lives in {source.Url} on '{source.Ref}' at {files}. " +
            "Change it there (or stop following with DELETE …/source).");
    }
}
