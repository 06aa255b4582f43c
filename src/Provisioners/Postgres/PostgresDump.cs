using System.Diagnostics;
using System.Globalization;

namespace Paddock.Provisioners.Postgres;

/// <summary>A snapshot of a database before it is dropped: <c>pg_dump</c> in its custom format (restorable with
/// <c>pg_restore</c>) into the snapshot directory, named after the database and the moment.</summary>
internal static class PostgresDump
{
    public static async Task<(string? Path, string? Failure)> RunAsync(PostgresClass server, string database, string directory,
        DateTimeOffset now, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{database}-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture)}.dump");
        var start = new ProcessStartInfo("pg_dump")
        {
            ArgumentList = { "--format=custom", "--no-password", "--host", server.Host, "--port", server.Port.ToString(CultureInfo.InvariantCulture),
                "--username", server.Username, "--file", path, database },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // The password goes through the environment, never the command line others can read.
        if (server.Password is { } password) start.Environment["PGPASSWORD"] = password;
        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            if (process.ExitCode != 0)
                return (null, $"pg_dump of database {database} failed (exit {process.ExitCode}): {(await errors).Trim()}; the database was kept.");
            return (path, null);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"pg_dump could not be started ({e.Message}); the database was kept.");
        }
    }
}
