using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Paddock.Migrations;

namespace Paddock.Testing;

/// <summary>The throwaway Postgres cluster that <c>./test.sh</c> starts (<c>PADDOCK_TEST_PG</c>). Migrations run
/// once into a template database; each test class gets its own copy (<c>CREATE DATABASE ... TEMPLATE</c>), because
/// wiping tables cannot work on the append-only audit table.</summary>
public static class PostgresServer
{
    public const string AppRole = "paddock_test_app";
    public const string AppPassword = "paddock-test";

    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? TemplateName;

    public static string SuperuserConnectionString =>
        Environment.GetEnvironmentVariable("PADDOCK_TEST_PG")
        ?? throw new InvalidOperationException("PADDOCK_TEST_PG is not set: run the tests with ./test.sh, which starts a throwaway Postgres.");

    public static string ConnectionString(string database, bool asApp)
    {
        var builder = new NpgsqlConnectionStringBuilder(SuperuserConnectionString) { Database = database, Pooling = true };
        if (asApp)
        {
            builder.Username = AppRole;
            builder.Password = AppPassword;
        }
        return builder.ConnectionString;
    }

    /// <summary>A new database cloned from the migrated template.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var template = await EnsureTemplateAsync();
        var name = $"paddock_t_{Guid.NewGuid():N}"[..30];
        await ExecuteAsync($"CREATE DATABASE {name} TEMPLATE {template}");
        return name;
    }

    public static Task DropDatabaseAsync(string name)
    {
        NpgsqlConnection.ClearAllPools();
        return ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }

    private static async Task<string> EnsureTemplateAsync()
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (TemplateName is not null) return TemplateName;
            var name = $"paddock_template_{Environment.ProcessId}";
            await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await ExecuteAsync($"CREATE DATABASE {name}");
            await Migrator.RunAsync(ConnectionString(name, asApp: false), ConnectionString(name, asApp: true), NullLogger.Instance, CancellationToken.None);
            // A template must have no open connections when it is copied.
            NpgsqlConnection.ClearAllPools();
            TemplateName = name;
            return name;
        }
        finally
        {
            TemplateLock.Release();
        }
    }

    public static async Task ExecuteAsync(string sql, string? database = null)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(database ?? "postgres", asApp: false));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
