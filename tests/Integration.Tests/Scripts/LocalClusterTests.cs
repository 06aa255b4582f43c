using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Paddock.Integration.Tests.Scripts;

/// <summary>./run.sh's local Postgres cluster (scripts/lib/postgres.sh): every local connection, over TCP and over
/// the unix socket, must give the superuser's password; a cluster made before that rule is converted on start.</summary>
public sealed class LocalClusterTests : IAsyncLifetime
{
    private const string Password = "local-cluster-test-password";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("paddock-cluster-test-").FullName;
    private readonly int _port = LoopbackPort.Free();

    [Fact]
    public async Task A_new_cluster_refuses_connections_without_the_password_over_tcp_and_the_socket()
    {
        await ScriptAsync("""
            printf '%s\n' "$PASSWORD" >"$DIR.password"
            pg_init "$DIR" "$DIR.password"; rm -f "$DIR.password"
            pg_start "$DIR" "$PORT"
            """);

        await AssertPasswordRequiredAsync();
    }

    [Fact]
    public async Task A_cluster_that_trusted_local_connections_requires_the_password_once_converted()
    {
        await ScriptAsync("""
            pg_init "$DIR"
            pg_start "$DIR" "$PORT"
            pg_hba_trusts "$DIR"
            pg_require_password "$DIR" "$PORT" "$PASSWORD"
            ! pg_hba_trusts "$DIR"
            """);

        await AssertPasswordRequiredAsync();
    }

    private async Task AssertPasswordRequiredAsync()
    {
        foreach (var host in new[] { "127.0.0.1", _dataDirectory })
        {
            var refused = await Assert.ThrowsAnyAsync<NpgsqlException>(() => ConnectAsync(host, password: null));
            Assert.Contains("password", refused.Message, StringComparison.OrdinalIgnoreCase);
            await Assert.ThrowsAsync<PostgresException>(() => ConnectAsync(host, "not-the-password"));
            await ConnectAsync(host, Password);
        }
    }

    private async Task ConnectAsync(string host, string? password)
    {
        var builder = new NpgsqlConnectionStringBuilder { Host = host, Port = _port, Username = "postgres", Database = "postgres", Pooling = false, Password = password };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        Assert.Equal(1, await command.ExecuteScalarAsync());
    }

    /// <summary>Runs <paramref name="script"/> with scripts/lib's common.sh and postgres.sh sourced, and DIR, PORT and
    /// PASSWORD set.</summary>
    private async Task ScriptAsync(string script)
    {
        var start = new ProcessStartInfo("bash", ["-c", "set -euo pipefail; . scripts/lib/common.sh; . scripts/lib/postgres.sh; pg_ensure_binaries\n" + script])
        {
            WorkingDirectory = ComposeFileTests.RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["DIR"] = _dataDirectory, ["PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["PASSWORD"] = Password },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"the script failed ({process.ExitCode}): {errors}{await output}");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        try { await ScriptAsync("""pg_stop "$DIR" """); }
        finally { Directory.Delete(_dataDirectory, recursive: true); }
    }
}
