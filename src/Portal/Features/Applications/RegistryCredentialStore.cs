using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Secrets;
using Paddock.Persistence;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Applications;

/// <summary>Private-registry credentials go in with the password encrypted and never come back out through here:
/// callers see server, username and version. Every change adds a <see cref="RegistryCredentialVersion"/>.</summary>
public sealed class RegistryCredentialStore(PaddockDbContext db, SecretProtector protector)
{
    /// <summary>The current credentials at one level (the application's own when <paramref name="environmentId"/>
    /// is null), or null when none are set there.</summary>
    public async Task<RegistryCredentialsView?> CurrentAtAsync(Guid applicationId, Guid? environmentId, CancellationToken ct)
    {
        var latest = await LatestAsync(applicationId, environmentId, ct);
        return latest is null || latest.IsRemoval ? null : RegistryCredentialsView.Of(latest);
    }

    /// <summary>The current credentials of an application and of each of its environments that overrides them.</summary>
    public async Task<RegistryLevels> LevelsAsync(Guid applicationId, CancellationToken ct)
    {
        var versions = await db.RegistryCredentialVersions.AsNoTracking().Where(c => c.ApplicationId == applicationId).ToListAsync(ct);
        var current = versions.GroupBy(c => c.EnvironmentId).Select(g => g.MaxBy(c => c.Version)!).Where(c => !c.IsRemoval).ToList();
        return new RegistryLevels(
            current.FirstOrDefault(c => c.EnvironmentId is null) is { } own ? RegistryCredentialsView.Of(own) : null,
            current.Where(c => c.EnvironmentId is not null).ToDictionary(c => c.EnvironmentId!.Value, RegistryCredentialsView.Of));
    }

    /// <summary>The application-level credentials of several applications at once, by application id.</summary>
    public async Task<Dictionary<Guid, RegistryCredentialsView>> CurrentOfAppsAsync(IReadOnlyCollection<Guid> applicationIds, CancellationToken ct)
    {
        var versions = await db.RegistryCredentialVersions.AsNoTracking()
            .Where(c => applicationIds.Contains(c.ApplicationId) && c.EnvironmentId == null)
            .ToListAsync(ct);
        return versions.GroupBy(c => c.ApplicationId)
            .Select(g => g.MaxBy(c => c.Version)!)
            .Where(c => !c.IsRemoval)
            .ToDictionary(c => c.ApplicationId, RegistryCredentialsView.Of);
    }

    /// <summary>Adds a version for <paramref name="change"/> (null removes; removing what is not set does nothing) and
    /// returns the credentials as they will be once saved. Saved by the caller's audited SaveChanges.</summary>
    public async Task<RegistryCredentialsView?> StageAsync(Guid applicationId, Guid? environmentId, RegistryCredentialsRequest? change,
        string createdBy, DateTime at, CancellationToken ct)
    {
        var latest = await LatestAsync(applicationId, environmentId, ct);
        if (change is null && (latest is null || latest.IsRemoval)) return null;
        var version = (latest?.Version ?? 0) + 1;
        var added = change is null
            ? RegistryCredentialVersion.Removal(applicationId, environmentId, version, at, createdBy)
            : RegistryCredentialVersion.Set(applicationId, environmentId, version, change.Server!.Trim(), change.Username!,
                protector.Protect(change.Password!), at, createdBy);
        db.RegistryCredentialVersions.Add(added);
        return added.IsRemoval ? null : RegistryCredentialsView.Of(added);
    }

    private Task<RegistryCredentialVersion?> LatestAsync(Guid applicationId, Guid? environmentId, CancellationToken ct) =>
        db.RegistryCredentialVersions.AsNoTracking()
            .Where(c => c.ApplicationId == applicationId && c.EnvironmentId == environmentId)
            .OrderByDescending(c => c.Version)
            .FirstOrDefaultAsync(ct);
}

/// <summary>Credentials for pulling from a private registry: all three are needed; the password is write-only.</summary>
public sealed record RegistryCredentialsRequest(string? Server, string? Username, string? Password)
{
    public void Validate(FieldErrors errors, string field = "registryCredentials")
    {
        errors.Add($"{field}.server", RegistryCredentialVersion.CheckServer(Server?.Trim()));
        errors.Add($"{field}.username", RegistryCredentialVersion.CheckUsername(Username));
        errors.Add($"{field}.password", RegistryCredentialVersion.CheckPassword(Password));
    }

    // The generated ToString would print the password wherever a request is logged.
    public override string ToString() => $"RegistryCredentialsRequest {{ {Username}@{Server} }}";
}

/// <summary>Registry credentials as the API shows them: never the password, only that one is set and which version.
/// <see cref="Source"/> says where an environment's effective credentials come from.</summary>
public sealed record RegistryCredentialsView(string Server, string Username, bool HasPassword, int Version, DateTime UpdatedAt, string? Source = null)
{
    public static RegistryCredentialsView Of(RegistryCredentialVersion version) =>
        new(version.Server!, version.Username!, !version.IsRemoval, version.Version, version.CreatedAt);
}

/// <summary>An application's own registry credentials and its environments' overrides (by environment id).</summary>
public sealed record RegistryLevels(RegistryCredentialsView? Application, IReadOnlyDictionary<Guid, RegistryCredentialsView> Environments)
{
    public static RegistryLevels None { get; } = new(null, new Dictionary<Guid, RegistryCredentialsView>());

    public RegistryCredentialsView? Of(Guid environmentId) => Environments.GetValueOrDefault(environmentId);

    /// <summary>These levels with one environment's override as a staged change leaves it.</summary>
    public RegistryLevels With(Guid environmentId, RegistryCredentialsView? credentials)
    {
        var environments = new Dictionary<Guid, RegistryCredentialsView>(Environments);
        if (credentials is null) environments.Remove(environmentId);
        else environments[environmentId] = credentials;
        return this with { Environments = environments };
    }
}
