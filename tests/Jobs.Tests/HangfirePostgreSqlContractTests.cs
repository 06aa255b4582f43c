using System.Reflection;
using Hangfire.PostgreSql;
using Npgsql;

namespace Paddock.Jobs.Tests;

/// <summary>Pins what Paddock's own SQL relies on inside Hangfire.PostgreSql (<see cref="HangfirePostgreSqlContract"/>):
/// on an upgrade of the package these fail first, and say what to re-check, before a deploy's enqueue breaks.
/// The channel the library listens on is pinned by <see cref="JobEnqueuerTests"/>' wake-up test.</summary>
public sealed class HangfirePostgreSqlContractTests : IAsyncLifetime
{
    private readonly string _database = $"paddock_hf_{Guid.NewGuid():N}"[..30];

    public async Task InitializeAsync()
    {
        await PostgresServer.ExecuteAsync($"CREATE DATABASE {_database}");
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString(_database, asApp: false));
        await connection.OpenAsync();
        // The library's own install, as the migrator runs it: nothing of Paddock's migrations is in this database.
        PostgreSqlObjectsInstaller.Install(connection, JobStorageSetup.Schema);
    }

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_database);

    [Fact]
    public void The_installed_package_is_the_version_Paddocks_SQL_was_written_against()
    {
        var informational = typeof(PostgreSqlStorage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = informational?.Split('+')[0];

        Assert.True(version == HangfirePostgreSqlContract.Version,
            $"Hangfire.PostgreSql is {informational}, Paddock's SQL was written against {HangfirePostgreSqlContract.Version}: " +
            "re-check what HangfirePostgreSqlContract lists (README, Developing), then update its Version.");
    }

    [Fact]
    public async Task The_librarys_schema_is_the_version_Paddocks_SQL_was_written_against()
    {
        Assert.Equal(23L, await ScalarAsync($"SELECT max(version) FROM {JobStorageSetup.Schema}.schema"));
    }

    [Fact]
    public async Task The_library_installs_the_columns_the_enqueue_writes_and_the_worker_status_reads()
    {
        string[] used =
        [
            "job.id bigint", "job.stateid bigint", "job.statename text", "job.invocationdata jsonb", "job.arguments jsonb",
            "job.createdat timestamp with time zone", "job.expireat timestamp with time zone",
            "state.id bigint", "state.jobid bigint", "state.name text", "state.createdat timestamp with time zone", "state.data jsonb",
            "jobqueue.jobid bigint", "jobqueue.queue text", "jobqueue.fetchedat timestamp with time zone",
            "server.lastheartbeat timestamp with time zone",
        ];

        var installed = await ColumnsAsync();

        Assert.All(used, column => Assert.Contains(column, installed));
    }

    [Fact]
    public async Task A_state_id_can_be_drawn_before_its_row_is_written()
    {
        // JobEnqueuer draws the state's id from the column's own sequence so that the job and its state name each other
        // in one statement.
        Assert.NotNull(await ScalarAsync($"SELECT pg_get_serial_sequence('{JobStorageSetup.Schema}.state', 'id')"));
    }

    private async Task<HashSet<string>> ColumnsAsync()
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString(_database, asApp: false));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT table_name || '.' || column_name || ' ' || data_type FROM information_schema.columns WHERE table_schema = @schema",
            connection);
        command.Parameters.AddWithValue("schema", JobStorageSetup.Schema);
        await using var reader = await command.ExecuteReaderAsync();
        var columns = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync()) columns.Add(reader.GetString(0));
        return columns;
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString(_database, asApp: false));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value is int i ? (long)i : value;
    }
}
