using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;

namespace Paddock.Portal.Features.Sources;

/// <summary>A push to a followed repository, announced with <c>NOTIFY</c> on <see cref="Channel"/> (the repository's
/// id as payload), so the process that follows git (<see cref="GitPoller"/>, whichever portal leads) fetches it now
/// rather than at its next poll, whichever process received the webhook.</summary>
public static class GitPushes
{
    public const string Channel = "git_pushed";

    public static async Task AnnounceAsync(PaddockDbContext db, Guid repositoryId, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({Channel}, {repositoryId.ToString()})", ct);
}
