using Hangfire;
using Hangfire.Logging;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Paddock.Jobs;

/// <summary>Hangfire's queue lives in Postgres beside Paddock's own tables (schema <c>hangfire</c>, created by the
/// migrator, so the application role needs no DDL rights). Settings follow shared/notes/hangfire-and-postgres.md:
/// long polling (LISTEN/NOTIFY) for ~10 ms pick-up, a 1 s poll as fallback because a lost LISTEN connection is not
/// re-established, and a sliding invisibility timeout so a dead worker's job is retried in minutes, not half an hour.</summary>
public static class JobStorageSetup
{
    public const string Schema = "hangfire";

    /// <summary>The queue of deploy and teardown jobs.</summary>
    public const string DeployQueue = "deploy";

    /// <summary>The queues the workers serve, in the order a worker takes them.</summary>
    public static readonly string[] Queues = [DeployQueue, "default"];

    private static readonly Lock ProcessWideGate = new();

    public static PostgreSqlStorageOptions StorageOptions() => new()
    {
        SchemaName = Schema,
        PrepareSchemaIfNecessary = false,
        EnableLongPolling = true,
        QueuePollInterval = TimeSpan.FromSeconds(1),
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(5),
    };

    /// <summary>What every process that enqueues or runs jobs needs: this host's own storage and job client.
    /// Hangfire's defaults resolve both through process-wide statics (<c>JobStorage.Current</c>, the global
    /// configuration), which several hosts in one process (the tests) would share, or mutate at the same moment;
    /// here each host gets its own, and the process-wide part is set under a lock.</summary>
    public static IServiceCollection AddPaddockJobStorage(this IServiceCollection services, string connectionString)
    {
        services.AddSingleton<JobStorage>(Storage(connectionString));
        services.AddSingleton(new JobEnqueuer(ConnectionStringFor(connectionString), StorageOptions()));
        services.AddSingleton<IBackgroundJobClient>(sp =>
        {
            UseLogsOf(sp.GetRequiredService<ILoggerFactory>());
            return new BackgroundJobClient(sp.GetRequiredService<JobStorage>());
        });
        return services.AddHangfire((sp, configuration) => ConfigureProcessWide(configuration, sp));
    }

    /// <summary>Hangfire.PostgreSql's storage as shipped, on Hangfire's own connections to Paddock's database.</summary>
    public static PostgreSqlStorage Storage(string paddockConnectionString, PostgreSqlStorageOptions? options = null)
    {
        options ??= StorageOptions();
        return new PostgreSqlStorage(new NpgsqlConnectionFactory(ConnectionStringFor(paddockConnectionString), options), options);
    }

    /// <summary>Hangfire's connections commit without waiting for the WAL flush (<c>synchronous_commit=off</c>, for
    /// these connections only): a deploy job's way from enqueue to start is several commits (the enqueue, the fetch,
    /// the job's state lock, the Processing state), and waiting for each flush cost ~3 ms of its ~20 ms on our
    /// machines (docs/benchmarks.md).
    /// What Postgres may lose in a crash of its own is the last fraction of a second of Hangfire's writes, never
    /// Paddock's: the deployment row is committed durably on Paddock's connection, and the sweeper re-enqueues a
    /// Queued deployment whose job is gone (jobs are idempotent, so one that runs again is harmless).</summary>
    public static string ConnectionStringFor(string paddockConnectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(paddockConnectionString);
        builder.Options = string.IsNullOrWhiteSpace(builder.Options)
            ? "-c synchronous_commit=off"
            : builder.Options + " -c synchronous_commit=off";
        // Told apart from the process's own connections in pg_stat_activity and the server's log.
        builder.ApplicationName = string.IsNullOrEmpty(builder.ApplicationName) ? "hangfire" : $"{builder.ApplicationName} hangfire";
        return builder.ConnectionString;
    }

    private static void ConfigureProcessWide(IGlobalConfiguration configuration, IServiceProvider services)
    {
        lock (ProcessWideGate)
        {
            configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings()
                .UseStorage(services.GetRequiredService<JobStorage>());
            // Paddock's jobs do not run in the enqueuing request's culture, and the filter's two job-parameter reads
            // sat between a deploy job's pick-up and its start (one round trip each, on the user's wait).
            foreach (var culture in GlobalJobFilters.Filters.Where(f => f.Instance is CaptureCultureAttribute).ToList())
                GlobalJobFilters.Filters.Remove(culture.Instance);
        }
        UseLogsOf(services.GetRequiredService<ILoggerFactory>());
    }

    /// <summary>Hangfire's loggers come from the host that configured it last (one host per process outside tests).</summary>
    private static void UseLogsOf(ILoggerFactory factory)
    {
        lock (ProcessWideGate) LogProvider.SetCurrentLogProvider(new SurvivingLogProvider(factory));
    }
}
