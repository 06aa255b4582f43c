using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;

namespace Paddock.Persistence.Jobs;

/// <summary>Hangfire's queue lives in Postgres beside Paddock's own tables (schema <c>hangfire</c>, created by the
/// migrator, so the application role needs no DDL rights). Settings follow shared/notes/hangfire-and-postgres.md:
/// long polling (LISTEN/NOTIFY) for ~10 ms pick-up, a 1 s poll as fallback because a lost LISTEN connection is not
/// re-established, and a sliding invisibility timeout so a dead worker's job is retried in minutes, not half an hour.</summary>
public static class JobStorageSetup
{
    public const string Schema = "hangfire";

    public static PostgreSqlStorageOptions StorageOptions() => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = false,
        EnableLongPolling = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(5),
    };

    /// <summary>What every process that enqueues or runs jobs needs.</summary>
    public static IServiceCollection AddPaddockJobStorage(this IServiceCollection services, string connectionString) =>
        services.AddHangfire(configuration => configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(o => o.UseNpgsqlConnection(connectionString), StorageOptions()));
}
