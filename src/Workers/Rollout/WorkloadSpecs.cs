using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Teams;
using Paddock.Persistence;
using Paddock.Persistence.Secrets;
using Paddock.Workers.Resources;

namespace Paddock.Workers.Rollout;

/// <summary>Turns a deployment's frozen snapshot into what a backend runs, decrypting exactly the secret and
/// registry-credential versions it pinned.</summary>
public sealed class WorkloadSpecs(PaddockDbContext db, SecretProtector protector, ResourceLifecycle resources)
{
    public const string DeploymentRevisionLabel = "paddock.revision";

    public async Task<WorkloadSpec> BuildAsync(Deployment deployment, Application app, AppEnvironment environment, CancellationToken ct) =>
        await BuildAsync(deployment, app, environment, await TeamQuotaAsync(app.TeamId, ct), ct);

    /// <summary>The team's current quota, not a snapshot: a quota is the platform's limit, not part of what was deployed.</summary>
    private Task<EnvironmentQuota?> TeamQuotaAsync(Guid teamId, CancellationToken ct) =>
        db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => t.Quota).SingleOrDefaultAsync(ct);

    /// <param name="teamQuota">The team's quota as the caller read it with its other rows.</param>
    public async Task<WorkloadSpec> BuildAsync(Deployment deployment, Application app, AppEnvironment environment, EnvironmentQuota? teamQuota, CancellationToken ct)
    {
        var snapshot = deployment.Snapshot;
        var pinnedIds = snapshot.Secrets.Select(s => s.SecretVersionId).ToList();
        // On the way to the user's new version: no round trip when nothing is pinned.
        var ciphertexts = pinnedIds.Count == 0 ? [] : await db.SecretVersions.AsNoTracking()
            .Where(v => pinnedIds.Contains(v.Id))
            .ToDictionaryAsync(v => v.Id, v => v.Ciphertext, ct);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pinned in snapshot.Secrets)
        {
            if (!ciphertexts.TryGetValue(pinned.SecretVersionId, out var ciphertext) || ciphertext is null)
                throw new PinnedSecretMissingException($"Secret {pinned.Name} version {pinned.Version} no longer exists.");
            secrets[pinned.Name] = protector.Unprotect(ciphertext);
        }
        var variables = new Dictionary<string, string>(snapshot.Variables, StringComparer.Ordinal);
        var outputs = snapshot.ResourceVariables is { Count: > 0 } || snapshot.Volumes is { Count: > 0 } || snapshot.Files is { Count: > 0 }
            ? await resources.OutputsAsync(environment.Id, ct) : null;
        if (snapshot.ResourceVariables is { Count: > 0 } templates)
        {
            // Variables that take resource outputs; a secret output keeps its variable secret.
            var (plain, secret) = ResourceVariables.Resolve(templates, outputs!);
            foreach (var (name, value) in plain) variables[name] = value;
            foreach (var (name, value) in secret) secrets[name] = value;
        }
        // Files may take the pinned secrets' values and resource outputs: resolved here, like the variables.
        var sidecarNames = (snapshot.Sidecars ?? []).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var files = ResourceVariables.Files(snapshot.Files, snapshot.Resources, secrets, outputs);
        return new WorkloadSpec
        {
            EnvironmentId = environment.Id,
            ResourceName = environment.ResourceName,
            AppName = app.Name,
            EnvironmentName = environment.Name,
            DeploymentId = deployment.Id,
            Image = snapshot.Image,
            // What this deployment already ran (a reconciler repair), else what the deployment it redeploys ran.
            ImageDigest = deployment.ImageDigest ?? snapshot.ImageDigest,
            Command = snapshot.Command,
            Port = snapshot.Port,
            Replicas = snapshot.Replicas,
            Variables = variables,
            Secrets = secrets,
            HealthCheck = snapshot.HealthCheck,
            Readiness = ProbeOf(snapshot, null, sidecarNames, ProbePurpose.Readiness),
            Liveness = ProbeOf(snapshot, null, sidecarNames, ProbePurpose.Liveness),
            Limits = snapshot.Limits,
            StopGracePeriod = snapshot.StopGracePeriodSeconds is { } grace ? TimeSpan.FromSeconds(grace) : null,
            Labels = new Dictionary<string, string> { [DeploymentRevisionLabel] = deployment.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            Quota = teamQuota,
            RegistryCredentials = await RegistryCredentialsAsync(snapshot.Registry, ct),
            Sidecars = (snapshot.Sidecars ?? []).Select(sidecar => SidecarOf(sidecar, secrets) with
            {
                ImageDigest = snapshot.SidecarImageDigests?.GetValueOrDefault(sidecar.Name),
                Readiness = ProbeOf(snapshot, sidecar.Name, sidecarNames, ProbePurpose.Readiness),
                Liveness = ProbeOf(snapshot, sidecar.Name, sidecarNames, ProbePurpose.Liveness),
                Files = files.Where(f => f.Container == sidecar.Name).Select(f => f.File).ToList(),
                Volumes = ResourceVariables.Mounts(snapshot.Volumes?.Where(v => v.Container == sidecar.Name).ToList(), outputs),
            }).ToList(),
            Files = files.Where(f => !sidecarNames.Contains(f.Container)).Select(f => f.File).ToList(),
            Volumes = ResourceVariables.Mounts(snapshot.Volumes?.Where(v => v.Container is null || !sidecarNames.Contains(v.Container)).ToList(), outputs),
            // Only a workload reaching another environment's (service-port) costs the read.
            Networks = snapshot.Resources?.Any(r => r.Type == Paddock.Provisioners.Network.ServicePortProvisioner.ResourceType) == true
                ? await resources.NetworksAsync(environment.Id, ct) : [],
        };
    }

    /// <summary>The probe of one container for <paramref name="purpose"/>; <paramref name="sidecar"/> null: the main
    /// container (any name that is not a sidecar's).</summary>
    private static ProbeAction? ProbeOf(DeploymentSnapshot snapshot, string? sidecar, IReadOnlySet<string> sidecarNames, ProbePurpose purpose) =>
        snapshot.Probes?.FirstOrDefault(p => p.Purpose == purpose
            && (sidecar is null ? !sidecarNames.Contains(p.Container) : p.Container == sidecar))?.Action;

    /// <summary>A sidecar receives the secrets it names, at the versions the deployment pinned for all of its containers.</summary>
    private static SidecarSpec SidecarOf(SidecarContainer sidecar, IReadOnlyDictionary<string, string> secrets) => new()
    {
        Name = sidecar.Name,
        Image = sidecar.Image,
        Command = sidecar.Command,
        Args = sidecar.Args,
        Variables = new Dictionary<string, string>(sidecar.Variables, StringComparer.Ordinal),
        Secrets = sidecar.SecretNames.ToDictionary(name => name,
            name => secrets.TryGetValue(name, out var value) ? value
                : throw new PinnedSecretMissingException($"Secret {name} of container {sidecar.Name} is not among the deployment's pinned secrets."),
            StringComparer.Ordinal),
        Limits = sidecar.Limits,
    };

    private async Task<RegistryCredentials?> RegistryCredentialsAsync(PinnedRegistryCredentials? pinned, CancellationToken ct)
    {
        if (pinned is null) return null;
        var ciphertext = await db.RegistryCredentialVersions.AsNoTracking()
            .Where(c => c.Id == pinned.VersionId)
            .Select(c => c.PasswordCiphertext)
            .SingleOrDefaultAsync(ct);
        if (ciphertext is null)
            throw new PinnedSecretMissingException($"Registry credentials version {pinned.Version} no longer exist.");
        return new RegistryCredentials(pinned.Server, pinned.Username, protector.Unprotect(ciphertext));
    }

    /// <summary>Whether the application's and environment's settings now differ from what <paramref name="snapshot"/>
    /// applied ("pending changes" once it runs).</summary>
    public async Task<bool> SettingsDifferAsync(DeploymentSnapshot snapshot, Application app, AppEnvironment environment, CancellationToken ct)
    {
        var versions = await db.SecretVersions.AsNoTracking()
            .Where(v => v.ApplicationId == app.Id && (v.EnvironmentId == null || v.EnvironmentId == environment.Id))
            .Select(v => new { v.Id, v.EnvironmentId, v.Name, v.Version, Removed = v.Ciphertext == null })
            .ToListAsync(ct);
        var latest = versions
            .GroupBy(v => (v.EnvironmentId, v.Name))
            .Select(g => g.MaxBy(v => v.Version)!)
            .Where(v => !v.Removed)
            .Select(v => new PinnedSecret(v.Name, v.Id, v.Version, v.EnvironmentId is not null));
        var registry = await db.CurrentRegistryCredentialsAsync(app.Id, environment.Id, ct);
        // Resources, their variables, volumes, files and probes live in the workload revision, not in the settings read here:
        // they are the snapshot's own, so they never look pending.
        return !(DeploymentSnapshot.Of(app, environment, latest, registry: registry) with
        {
            Resources = snapshot.Resources, ResourceVariables = snapshot.ResourceVariables, Volumes = snapshot.Volumes, Files = snapshot.Files,
            Probes = snapshot.Probes,
        }).SameSettingsAs(snapshot);
    }
}

/// <summary>A pinned secret version cannot be found: the deployment cannot bring back what it promised.</summary>
public sealed class PinnedSecretMissingException(string message) : Exception(message);
