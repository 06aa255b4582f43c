using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using Paddock.Persistence;
using Paddock.Jobs;

namespace Paddock.Migrations;

/// <summary>Applies migrations as the owner role, then makes sure the application's login role exists,
/// belongs to <see cref="DatabaseRoles.App"/> and has its configured password.</summary>
public static class Migrator
{
    public static async Task RunAsync(string ownerConnectionString, string? appConnectionString, ILogger logger, CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<PaddockDbContext>();
        DbSetup.Configure(options, ownerConnectionString);
        await using (var db = new PaddockDbContext(options.Options))
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, string.Join(", ", pending));
            await db.Database.MigrateAsync(ct);
        }
        await InstallJobQueueSchemaAsync(ownerConnectionString, logger, ct);
        if (appConnectionString is not null)
            await EnsureAppLoginAsync(ownerConnectionString, appConnectionString, logger, ct);
    }

    /// <summary>Hangfire's tables, installed here so the portal and workers run without DDL rights.
    /// The installer is idempotent and upgrades the schema when the package moves on.</summary>
    private static async Task InstallJobQueueSchemaAsync(string ownerConnectionString, ILogger logger, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(ct);
        Hangfire.PostgreSql.PostgreSqlObjectsInstaller.Install(connection, JobStorageSetup.Schema);
        var schema = JobStorageSetup.Schema;
        await using var grant = new NpgsqlCommand($"""
            GRANT USAGE ON SCHEMA {schema} TO {DatabaseRoles.App};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {DatabaseRoles.App};
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {schema} TO {DatabaseRoles.App};
            """, connection);
        await grant.ExecuteNonQueryAsync(ct);
        logger.LogInformation("Job queue schema {Schema} is ready", schema);
    }

    private static async Task EnsureAppLoginAsync(string ownerConnectionString, string appConnectionString, ILogger logger, CancellationToken ct)
    {
        var app = new NpgsqlConnectionStringBuilder(appConnectionString);
        var owner = new NpgsqlConnectionStringBuilder(ownerConnectionString);
        if (string.IsNullOrEmpty(app.Username)) throw new InvalidOperationException("ConnectionStrings:Paddock has no Username.");
        if (string.Equals(app.Username, owner.Username, StringComparison.Ordinal))
        {
            logger.LogWarning("The application connects as the owner role {Role}: the audit trail's append-only privileges cannot be enforced (its triggers still are).", app.Username);
            return;
        }

        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(ct);
        var role = QuoteIdentifier(app.Username);
        var password = app.Password is null ? "NULL" : QuoteLiteral(app.Password);
        // Roles are cluster-wide and the statements cannot take parameters; the names are quoted above.
        var sql = $"""
            DO $$
            BEGIN
              IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {QuoteLiteral(app.Username)}) THEN
                CREATE ROLE {role} LOGIN PASSWORD {password};
              ELSE
                ALTER ROLE {role} LOGIN PASSWORD {password};
              END IF;
            END $$;
            """;
        // A login may itself be named like the group role; it then has the privileges directly.
        if (!string.Equals(app.Username, DatabaseRoles.App, StringComparison.Ordinal))
            sql += $"GRANT {DatabaseRoles.App} TO {role};";
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
        logger.LogInformation("Application role {Role} is ready", app.Username);
    }

    private static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    private static string QuoteLiteral(string value) => "'" + value.Replace("'", "''") + "'";
}
