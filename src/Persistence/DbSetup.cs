using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Paddock.Persistence;

public static class DbSetup
{
    /// <summary>The one place that configures EF for Paddock, shared by portal, workers, migrator and tests.</summary>
    public static void Configure(DbContextOptionsBuilder options, string connectionString) =>
        options
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsAssembly("Paddock.Migrations"))
            .UseSnakeCaseNamingConvention();

    /// <summary>Unique-constraint violations become 409s; everything else propagates.</summary>
    public static bool IsUniqueViolation(this DbUpdateException e) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public static string? ConstraintName(this DbUpdateException e) =>
        (e.InnerException as PostgresException)?.ConstraintName;
}
