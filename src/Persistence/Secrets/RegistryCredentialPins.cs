using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Deployments;

namespace Paddock.Persistence.Secrets;

/// <summary>Which registry credentials an environment deploys with now, for the portal (freezing a snapshot) and the
/// workers (is the running deployment still in sync) alike.</summary>
public static class RegistryCredentialPins
{
    /// <summary>The latest version at the environment's level when it is set, else the application's; null when
    /// neither has credentials (the latest version at a level being a removal means none at that level).</summary>
    public static async Task<PinnedRegistryCredentials?> CurrentRegistryCredentialsAsync(this PaddockDbContext db, Guid applicationId, Guid environmentId, CancellationToken ct)
    {
        var versions = await db.RegistryCredentialVersions.AsNoTracking()
            .Where(c => c.ApplicationId == applicationId && (c.EnvironmentId == null || c.EnvironmentId == environmentId))
            .Select(c => new { c.Id, c.EnvironmentId, c.Version, c.Server, c.Username, Removed = c.PasswordCiphertext == null })
            .ToListAsync(ct);
        var current = versions
            .GroupBy(c => c.EnvironmentId)
            .Select(g => g.MaxBy(c => c.Version)!)
            .Where(c => !c.Removed)
            .OrderByDescending(c => c.EnvironmentId is not null)
            .FirstOrDefault();
        return current is null ? null : new PinnedRegistryCredentials(current.Id, current.Version, current.Server!, current.Username!, current.EnvironmentId is not null);
    }
}
