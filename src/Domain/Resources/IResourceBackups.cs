namespace Paddock.Domain.Resources;

/// <summary>Day two for a resource type whose data can be saved to a file and put back (postgres: <c>pg_dump</c> and
/// <c>pg_restore</c>): backups on request, restores, and copies into another environment. A type without one answers
/// that it has no backups. Failures come back as reasons a user can act on, never with a credential.</summary>
public interface IResourceBackups
{
    string Type { get; }

    /// <summary>Saves the resource's data into a new file in <paramref name="directory"/>; answers its path, or why not.</summary>
    Task<(string? Path, string? Failure)> BackupAsync(ProvisionRequest resource, string directory, CancellationToken ct);

    /// <summary>Replaces the resource's data with a backup's (what the backup does not hold is dropped); null when done.</summary>
    Task<string?> RestoreAsync(ProvisionRequest resource, string backupPath, CancellationToken ct);
}
