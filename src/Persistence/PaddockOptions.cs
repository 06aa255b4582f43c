namespace Paddock.Persistence;

/// <summary>Configuration section <c>Paddock</c>, shared by portal, workers and migrator.</summary>
public sealed class PaddockOptions
{
    public const string Section = "Paddock";

    /// <summary>Where local state lives: the master key file, bootstrap credentials, the audit checkpoint.</summary>
    public string DataDirectory { get; set; } = ".paddock";

    /// <summary>Base64 master key (e.g. from a secret store). When empty, <see cref="MasterKeyFile"/> is used.</summary>
    public string? MasterKey { get; set; }

    /// <summary>Defaults to <c>{DataDirectory}/master.key</c>; created on first start when missing.</summary>
    public string? MasterKeyFile { get; set; }

    /// <summary>Defaults to <c>{DataDirectory}/audit-checkpoint</c>.</summary>
    public string? AuditCheckpointFile { get; set; }

    /// <summary>Registries images may come from (<c>host[:port]</c>, Docker Hub as <c>docker.io</c>), for every team;
    /// empty allows any. A team can narrow it further, never widen it.</summary>
    public string[] AllowedRegistries { get; set; } = [];

    public string ResolvedMasterKeyFile => MasterKeyFile ?? Path.Combine(DataDirectory, "master.key");
    /// <summary>Dumps of resources deleted under the snapshot policy: <c>{DataDirectory}/snapshots/{environment id}</c>.</summary>
    public string SnapshotDirectoryFor(Guid environmentId) => Path.GetFullPath(Path.Combine(DataDirectory, "snapshots", environmentId.ToString("N")));

    /// <summary>Backups taken on request (<c>POST …/resources/{name}/backup</c>): <c>{DataDirectory}/backups/{resource uid}</c>.</summary>
    public string BackupDirectoryFor(string resourceUid) => Path.GetFullPath(Path.Combine(DataDirectory, "backups", resourceUid));

    public string ResolvedAuditCheckpointFile => AuditCheckpointFile ?? Path.Combine(DataDirectory, "audit-checkpoint");
}
