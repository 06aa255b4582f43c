namespace Paddock.Portal.Features.Resources;

/// <summary>A backup of a resource: its file name under the data directory (what <c>restore</c> takes), when it was
/// taken and its size in bytes.</summary>
public sealed record ResourceBackupView(string Name, DateTime CreatedAt, long Size);

/// <summary><c>POST …/resources/{name}/restore</c>: the name of one of the resource's backups.</summary>
public sealed record RestoreResourceRequest(string? Backup);

/// <summary><c>POST …/resources/{name}/copy</c>: the environment of the same app whose resource of the same name
/// takes this one's data (its own data is replaced).</summary>
public sealed record CopyResourceRequest(string? Environment);

/// <summary>A copy done: from where to where, and the backup it went through (kept with the target's backups).</summary>
public sealed record ResourceCopyView(string Resource, string FromEnvironment, string ToEnvironment, ResourceBackupView Backup);
