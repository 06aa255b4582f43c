using Hangfire;
using Hangfire.Logging;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paddock.Jobs;

namespace Paddock.Jobs.Tests;

/// <summary>Several hosts live in one test process: each must enqueue into its own database, whatever Hangfire's
/// process-wide defaults (JobStorage.Current, the global configuration) were last set to.</summary>
public sealed class JobStorageSetupTests
{
    [Fact]
    public async Task Hosts_built_at_the_same_time_each_get_their_own_storage_and_job_client()
    {
        var hosts = Enumerable.Range(0, 8).Select(Host).ToList();

        var resolved = await Task.WhenAll(hosts.Select(sp => Task.Run(() =>
            (Storage: sp.GetRequiredService<JobStorage>(), Client: sp.GetRequiredService<IBackgroundJobClient>(), sp.GetRequiredService<IGlobalConfiguration>()))));

        Assert.Equal(8, resolved.Select(r => r.Storage).Distinct().Count());
        Assert.Equal(8, resolved.Select(r => r.Client).Distinct().Count());
        Assert.All(hosts, sp => Assert.Single(sp.GetServices<IBackgroundJobClient>()));
        foreach (var sp in hosts) await sp.DisposeAsync();
    }

    [Fact]
    public async Task A_disposed_host_leaves_Hangfire_able_to_log_for_the_hosts_that_come_after_it()
    {
        var first = Host(0);
        first.GetRequiredService<IGlobalConfiguration>();
        var storage = first.GetRequiredService<JobStorage>();
        first.GetRequiredService<IBackgroundJobClient>();
        await first.DisposeAsync();

        // Both ask Hangfire's process-wide log provider for loggers; with the disposed host's LoggerFactory behind
        // it they threw ObjectDisposedException (a 500 on every route that enqueues, in whichever host came next).
        Assert.NotNull(new BackgroundJobClient(storage));
        LogProvider.GetLogger("after-dispose").Log(Hangfire.Logging.LogLevel.Info, () => "logged or dropped, never thrown");
    }

    [Fact]
    public async Task Jobs_do_not_carry_the_enqueuing_culture()
    {
        await using var host = Host(0);
        host.GetRequiredService<IGlobalConfiguration>();

        // Its two job-parameter reads sat between a deploy job's pick-up and its start.
        Assert.DoesNotContain(GlobalJobFilters.Filters, f => f.Instance is CaptureCultureAttribute);
        Assert.Contains(GlobalJobFilters.Filters, f => f.Instance is AutomaticRetryAttribute);
    }

    [Fact]
    public async Task Hangfire_connections_commit_without_waiting_for_the_flush_and_Paddocks_own_still_wait()
    {
        Assert.Equal(("off", "client"), await SynchronousCommitOf(JobStorageSetup.ConnectionStringFor(PostgresServer.SuperuserConnectionString)));
        // The test cluster itself runs with it off (test.sh), so "client" is what shows the connection asked for it.
        Assert.NotEqual("client", (await SynchronousCommitOf(PostgresServer.SuperuserConnectionString)).Source);
    }

    [Fact]
    public void Options_the_connection_string_already_sets_are_kept_and_the_connections_say_they_are_Hangfires()
    {
        var built = new NpgsqlConnectionStringBuilder(
            JobStorageSetup.ConnectionStringFor("Host=db;Username=u;Options=-c statement_timeout=5s;Application Name=Paddock.Workers"));

        Assert.Equal("-c statement_timeout=5s -c synchronous_commit=off", built.Options);
        Assert.Equal("Paddock.Workers hangfire", built.ApplicationName);
        Assert.Equal("hangfire", new NpgsqlConnectionStringBuilder(JobStorageSetup.ConnectionStringFor("Host=db")).ApplicationName);
    }

    private static async Task<(string Setting, string Source)> SynchronousCommitOf(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT setting, source FROM pg_settings WHERE name = 'synchronous_commit'", connection);
        await using var row = await query.ExecuteReaderAsync();
        await row.ReadAsync();
        return (row.GetString(0), row.GetString(1));
    }

    private static ServiceProvider Host(int i) =>
        new ServiceCollection().AddLogging().AddPaddockJobStorage($"Host=127.0.0.1;Port=1;Database=db{i}").BuildServiceProvider();
}
