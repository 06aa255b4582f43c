using System.Diagnostics;
using System.Globalization;

namespace Paddock.Provisioners.Postgres;

/// <summary>A database's data as a file and back: <c>pg_dump</c> in its custom format into a directory, named after the
/// database and the moment (to the millisecond), and <c>pg_restore</c> of such a file into a database. Both log in as
/// the class's admin; the password goes through the environment, never the command line others can read.</summary>
internal static class PostgresDump
{
    public static async Task<(string? Path, string? Failure)> RunAsync(PostgresClass server, string database, string directory,
        DateTimeOffset now, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{database}-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}.dump");
        var failure = await RunToolAsync(server, "pg_dump", ["--format=custom", "--file", path, database], ct);
        return failure is null ? (path, null) : (null, $"pg_dump of database {database} failed: {failure}");
    }

    /// <summary>Restores <paramref name="path"/> into <paramref name="database"/> as <paramref name="role"/> (so what it
    /// creates belongs to the resource's own role), dropping what the dump holds first; all or nothing.</summary>
    public static async Task<string?> RestoreAsync(PostgresClass server, string database, string role, string path, CancellationToken ct)
    {
        var failure = await RunToolAsync(server, "pg_restore",
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", "--role", role, "--dbname", database, path], ct);
        return failure is null ? null : $"pg_restore into database {database} failed: {failure}";
    }

    private static async Task<string?> RunToolAsync(PostgresClass server, string tool, IEnumerable<string> arguments, CancellationToken ct)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--no-password", "--host", server.Host, "--port", server.Port.ToString(CultureInfo.InvariantCulture), "--username", server.Username }
                     .Concat(arguments))
            start.ArgumentList.Add(argument);
        if (server.Password is { } password) start.Environment["PGPASSWORD"] = password;
        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync(ct);
            await process.StandardOutput.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            return process.ExitCode == 0 ? null : $"exit {process.ExitCode}: {(await errors).Trim()}";
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return $"{tool} could not be started ({e.Message})";
        }
    }
}
