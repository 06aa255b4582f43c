using System.Text.Json;

namespace Paddock.Persistence.Audit;

/// <summary>The chain head as last seen by the portal: the sequence and MAC of the newest event.</summary>
public sealed record AuditCheckpoint(long Sequence, string Mac, DateTime WrittenAt);

/// <summary>The checkpoint file outside the database. Deleting the newest events leaves a chain that still
/// verifies on its own; the checkpoint remembers that the trail once reached further.</summary>
public sealed class AuditCheckpointFile(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string FullPath { get; } = Path.GetFullPath(path);

    /// <summary>Null when no checkpoint was written yet. Throws <see cref="JsonException"/> or
    /// <see cref="IOException"/> when the file exists but cannot be read.</summary>
    public async Task<AuditCheckpoint?> ReadAsync(CancellationToken ct)
    {
        if (!File.Exists(FullPath)) return null;
        await using var stream = new FileStream(FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return await JsonSerializer.DeserializeAsync<AuditCheckpoint>(stream, Json, ct)
            ?? throw new JsonException("The checkpoint file is empty.");
    }

    /// <summary>Writes a temporary file and renames it over the old one, so a reader (or a crash) never
    /// sees half a checkpoint.</summary>
    public async Task WriteAsync(AuditCheckpoint checkpoint, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(FullPath)!);
        var temporary = $"{FullPath}.{Guid.NewGuid():N}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            await using (var stream = new FileStream(temporary, options))
            {
                await JsonSerializer.SerializeAsync(stream, checkpoint, Json, ct);
                await stream.FlushAsync(ct);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, FullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
