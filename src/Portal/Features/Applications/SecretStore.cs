using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Secrets;
using Paddock.Persistence;
using Paddock.Persistence.Secrets;

namespace Paddock.Portal.Features.Applications;

/// <summary>Secret values go in encrypted and never come back out through here: callers see names and
/// versions. Every change adds a <see cref="SecretVersion"/>; a removal is a version without a value.</summary>
public sealed class SecretStore(PaddockDbContext db, SecretProtector protector)
{
    /// <summary>The latest version of every secret of the application and its environments, removals included.</summary>
    public async Task<List<SecretState>> LatestAsync(Guid applicationId, CancellationToken ct) =>
        (await LatestAsync([applicationId], ct))[applicationId].ToList();

    /// <summary>The latest secret versions of several applications at once, by application id.</summary>
    public async Task<ILookup<Guid, SecretState>> LatestAsync(IReadOnlyCollection<Guid> applicationIds, CancellationToken ct)
    {
        var versions = await db.SecretVersions.AsNoTracking()
            .Where(s => applicationIds.Contains(s.ApplicationId))
            .Select(s => new { s.ApplicationId, State = new SecretState(s.EnvironmentId, s.Name, s.Version, s.CreatedAt, s.Ciphertext == null) })
            .ToListAsync(ct);
        return versions
            .GroupBy(s => (s.ApplicationId, s.State.EnvironmentId, s.State.Name))
            .Select(g => g.MaxBy(s => s.State.Version)!)
            .ToLookup(s => s.ApplicationId, s => s.State);
    }

    /// <summary>Adds a version per change (null value = removal; removing what is not set does nothing) and
    /// returns the latest versions as they will be once saved. Saved by the caller's audited SaveChanges,
    /// together with the change that caused it.</summary>
    public async Task<List<SecretState>> StageChangesAsync(Guid applicationId, Guid? environmentId,
        IReadOnlyDictionary<string, string?>? changes, string createdBy, DateTime at, CancellationToken ct)
    {
        var latest = await LatestAsync(applicationId, ct);
        foreach (var (name, value) in (changes ?? new Dictionary<string, string?>()).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            var previous = latest.FirstOrDefault(s => s.EnvironmentId == environmentId && s.Name == name);
            if (value is null && (previous is null || previous.IsRemoved)) continue;
            var version = (previous?.Version ?? 0) + 1;
            db.SecretVersions.Add(new SecretVersion(applicationId, environmentId, name, version,
                value is null ? null : protector.Protect(value), at, createdBy));
            if (previous is not null) latest.Remove(previous);
            latest.Add(new SecretState(environmentId, name, version, at, value is null));
        }
        return latest;
    }

    /// <summary>The value length of every current secret at one level (the app's own when
    /// <paramref name="environmentId"/> is null), to hold a change to <see cref="VariableBudget"/>.</summary>
    public async Task<Dictionary<string, int>> CurrentLengthsAsync(Guid applicationId, Guid? environmentId, CancellationToken ct)
    {
        var versions = await db.SecretVersions.AsNoTracking()
            .Where(s => s.ApplicationId == applicationId && s.EnvironmentId == environmentId)
            .Select(s => new { s.Name, s.Version, s.Ciphertext })
            .ToListAsync(ct);
        return versions.GroupBy(s => s.Name).Select(g => g.MaxBy(s => s.Version)!)
            .Where(s => s.Ciphertext is not null)
            .ToDictionary(s => s.Name, s => protector.Unprotect(s.Ciphertext!).Length, StringComparer.Ordinal);
    }

    /// <summary>Current (set, not removed) secrets at one level: the app's own when <paramref name="environmentId"/> is null.</summary>
    public static List<SecretView> CurrentAt(IEnumerable<SecretState> latest, Guid? environmentId) =>
        latest.Where(s => s.EnvironmentId == environmentId && !s.IsRemoved)
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .Select(s => new SecretView(s.Name, s.Version, s.UpdatedAt))
            .ToList();
}

public sealed record SecretState(Guid? EnvironmentId, string Name, int Version, DateTime UpdatedAt, bool IsRemoved);
