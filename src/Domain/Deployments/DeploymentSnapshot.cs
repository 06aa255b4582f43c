using System.Text.Json.Serialization;
using Paddock.Domain.Applications;
using Paddock.Domain.Environments;

namespace Paddock.Domain.Deployments;

/// <summary>A secret as a deployment uses it: the exact version, so a rollback brings back exactly that value.</summary>
public sealed record PinnedSecret(string Name, Guid SecretVersionId, int Version, bool EnvironmentLevel);

/// <summary>The registry credentials a deployment pulls with: the exact version (its password stays encrypted in that
/// version's row); server and username are not secret and are shown.</summary>
public sealed record PinnedRegistryCredentials(Guid VersionId, int Version, string Server, string Username, bool EnvironmentLevel);

/// <summary>A resource the workload declares (not of type environment), provisioned before the containers start, in
/// the order of the snapshot's list: its name in the workload, type, class and Score resource id, and its params as
/// the workload wrote them (JSON text; placeholders such as <c>${resources.dns.host}</c> are resolved by the worker
/// from the outputs of the resources provisioned before it), null when it has none.</summary>
public sealed record SnapshotResource(
    string Name, string Type, string Class, string ResourceId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Params = null);

/// <summary>A new environment's resource <paramref name="Resource"/> that starts with a copy of the data of another
/// environment's resource (<paramref name="FromEnvironment"/>, its uid <paramref name="FromUid"/>): copied once, right
/// after it is first provisioned and before any container starts (<c>copyFrom</c> on environment creation).</summary>
public sealed record SnapshotResourceCopy(string Resource, string FromEnvironment, string FromUid);

/// <summary>A volume resource of the workload (<paramref name="Resource"/>, its name in the workload) mounted at
/// <paramref name="Target"/> into <paramref name="Container"/> (null: the main container, as snapshots made before other
/// containers could mount volumes say). One volume may be mounted into several containers of an instance.
/// <paramref name="Path"/>: the sub-directory of the volume that is mounted (Score's <c>path</c>; null: all of it), a
/// relative path without <c>.</c> or <c>..</c> parts.</summary>
public sealed record SnapshotVolume(string Resource, string Target, bool ReadOnly,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Container = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Path = null);

/// <summary>A file Paddock puts into a container of the workload before it starts (Score's <c>files</c>), at
/// <paramref name="Target"/> with <paramref name="Mode"/> (octal, as written; null: 0644). <paramref name="Content"/> is
/// the text as a Score template: <c>${resources.NAME.OUTPUT}</c> placeholders (an app secret through the environment
/// resource, or an output of a provisioned resource) are resolved by the worker and make the file secret when a value
/// is; <c>$$</c> is a literal <c>$</c>. With <paramref name="Binary"/> it is base64 bytes, taken as they are. A snapshot
/// never holds a secret's value, only the placeholder that names it.</summary>
public sealed record SnapshotFile(string Container, string Target, string? Mode, string Content, bool Binary = false);

/// <summary>Everything a deployment applies, frozen when it is queued: the application's settings with the
/// environment's overrides laid over them, and the secret and registry-credential versions in force at that moment.
/// A redeploy also carries
/// <paramref name="ImageDigest"/>, the content the earlier deployment ran, so a moved tag cannot change it.
/// The single-container fields describe the main container (the one the environment's URL routes to);
/// <paramref name="Sidecars"/> are the workload's other containers, null when it has none (so snapshots of
/// one-container apps, older ones included, read and hash as before).
/// <paramref name="SidecarImageDigests"/> pins the sidecars' images by container name, as <paramref name="ImageDigest"/>
/// pins the main one's (an applied plan pins what it showed).
/// <paramref name="ResourceVariables"/> are variables whose values are Score templates over the outputs of
/// <paramref name="Resources"/> (<c>${resources.db.url}</c>), resolved by the worker once those are provisioned;
/// <paramref name="Volumes"/> the volume resources the main container mounts; <paramref name="Files"/> the files put
/// into its containers; <paramref name="Probes"/> the probes of its containers beyond the main container's
/// <paramref name="HealthCheck"/> (liveness, exec readiness, the other containers' probes). <paramref name="ResourceCopies"/> seed new resources with another environment's data; they are
/// not settings (a copy happens once, when a resource is new).</summary>
public sealed record DeploymentSnapshot(
    string Image,
    string[]? Command,
    int Port,
    int Replicas,
    SortedDictionary<string, string> Variables,
    IReadOnlyList<PinnedSecret> Secrets,
    HealthCheck HealthCheck,
    ResourceLimits Limits,
    string? ImageDigest = null,
    PinnedRegistryCredentials? Registry = null,
    int? StopGracePeriodSeconds = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SidecarContainer>? Sidecars = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SnapshotResource>? Resources = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SortedDictionary<string, string>? ResourceVariables = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SnapshotVolume>? Volumes = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SortedDictionary<string, string>? SidecarImageDigests = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SnapshotResourceCopy>? ResourceCopies = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SnapshotFile>? Files = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ContainerProbe>? Probes = null)
{
    /// <summary>The effective settings of <paramref name="environment"/>: its overrides win over the app's values.
    /// <paramref name="secrets"/> are the latest versions of the app's and the environment's secrets (not removed);
    /// an environment-level secret replaces the app-level one of the same name.</summary>
    public static DeploymentSnapshot Of(Application app, AppEnvironment environment, IEnumerable<PinnedSecret> secrets, string? imageOverride = null,
        PinnedRegistryCredentials? registry = null)
    {
        var variables = new SortedDictionary<string, string>(app.Variables, StringComparer.Ordinal);
        foreach (var (name, value) in environment.VariableOverrides) variables[name] = value;
        var pinned = secrets
            .GroupBy(s => s.Name, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(s => s.EnvironmentLevel).First())
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        return new DeploymentSnapshot(
            imageOverride ?? environment.Overrides.Image ?? app.Image,
            app.Command,
            app.Port,
            environment.Overrides.Replicas ?? app.Replicas,
            variables,
            pinned,
            app.HealthCheck,
            environment.Overrides.LimitsOver(app.Limits),
            Registry: registry,
            StopGracePeriodSeconds: environment.Overrides.StopGracePeriodSeconds ?? app.StopGracePeriodSeconds,
            Sidecars: app.Sidecars.Count == 0 ? null : app.Sidecars.ToList());
    }

    /// <summary>Whether two snapshots would run the same thing (used for "pending changes"). A pinned
    /// <see cref="ImageDigest"/> (nor <see cref="SidecarImageDigests"/>) is not a setting: a rollback of unchanged settings is in sync.</summary>
    public bool SameSettingsAs(DeploymentSnapshot other) =>
        Image == other.Image && Port == other.Port && Replicas == other.Replicas
        && (Command ?? []).SequenceEqual(other.Command ?? [])
        && Variables.SequenceEqual(other.Variables)
        && Secrets.Select(s => (s.Name, s.SecretVersionId)).SequenceEqual(other.Secrets.Select(s => (s.Name, s.SecretVersionId)))
        && HealthCheck == other.HealthCheck && Limits == other.Limits
        && Registry?.VersionId == other.Registry?.VersionId
        && StopGracePeriodSeconds == other.StopGracePeriodSeconds
        && SidecarContainer.Same(Sidecars, other.Sidecars)
        && (Resources ?? []).SequenceEqual(other.Resources ?? [])
        && (ResourceVariables ?? []).SequenceEqual(other.ResourceVariables ?? [])
        && (Volumes ?? []).SequenceEqual(other.Volumes ?? [])
        && (Files ?? []).SequenceEqual(other.Files ?? [])
        && (Probes ?? []).SequenceEqual(other.Probes ?? []);
}
