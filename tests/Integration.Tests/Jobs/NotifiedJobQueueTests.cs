using System.Diagnostics;
using Hangfire.Common;
using Hangfire.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence.Jobs;

namespace Paddock.Integration.Tests.Jobs;

/// <summary>Paddock's Hangfire queue against a real Postgres: each "process" is its own storage and queue on one
/// database. The poll interval is a minute here, so a job fetched within seconds was woken by its notice.</summary>
public sealed class NotifiedJobQueueTests : IAsyncLifetime
{
    private static readonly string[] Queues = JobStorageSetup.Queues;
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(5);

    private string database = "";
    private string connectionString = "";
    private readonly List<NotifiedJobQueue> processes = [];

    public async Task InitializeAsync()
    {
        database = await PostgresServer.CreateDatabaseAsync();
        connectionString = JobStorageSetup.ConnectionStringFor(PostgresServer.ConnectionString(database, asApp: true));
    }

    public async Task DisposeAsync()
    {
        foreach (var process in processes) process.Dispose();
        await PostgresServer.DropDatabaseAsync(database);
    }

    [Fact]
    public async Task A_job_enqueued_by_another_process_is_fetched_on_its_notice()
    {
        var workers = Process();
        var waiting = FetchAsync(workers);
        await ListeningAsync();

        var jobId = Enqueue(Process());

        var fetched = await waiting.WaitAsync(Prompt);
        Assert.Equal(jobId, fetched.JobId);
    }

    [Fact]
    public async Task Jobs_enqueued_together_wake_as_many_waiting_workers()
    {
        var workers = Process();
        var first = FetchAsync(workers);
        var second = FetchAsync(workers);
        await ListeningAsync();

        // One transaction sends one notice for both jobs: the worker it wakes sees the second and wakes the next.
        var portal = Process();
        using var connection = portal.Storage.GetConnection();
        var ids = new[] { CreateJob(connection), CreateJob(connection) };
        using (var transaction = connection.CreateWriteTransaction())
        {
            foreach (var id in ids) transaction.AddToQueue(JobStorageSetup.DeployQueue, id);
            transaction.Commit();
        }

        var fetched = await Task.WhenAll(first, second).WaitAsync(Prompt);
        Assert.Equal(ids.Order(), fetched.Select(job => job.JobId).Order());
    }

    [Fact]
    public async Task A_broken_listening_connection_is_replaced_and_jobs_still_wake_a_worker()
    {
        var workers = Process();
        var waiting = FetchAsync(workers);
        var listener = await ListeningAsync();

        await QueryAsync($"SELECT pg_terminate_backend({listener})");
        var replacement = await ListeningAsync(except: listener);
        Assert.NotEqual(listener, replacement);

        var jobId = Enqueue(Process());
        Assert.Equal(jobId, (await waiting.WaitAsync(Prompt)).JobId);
    }

    [Fact]
    public async Task A_fetched_job_is_hidden_from_other_workers_until_it_is_requeued_and_gone_once_removed()
    {
        var workers = Process();
        var jobId = Enqueue(Process());
        using var fetched = await FetchAsync(workers);
        Assert.Equal(jobId, fetched.JobId);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FetchAsync(workers, TimeSpan.FromSeconds(1)));

        fetched.Requeue();
        using var again = await FetchAsync(workers).WaitAsync(Prompt);
        Assert.Equal(jobId, again.JobId);

        again.RemoveFromQueue();
        Assert.Equal(0L, await QueryAsync("SELECT count(*) FROM hangfire.jobqueue"));
    }

    [Fact]
    public async Task A_job_fetched_longer_ago_than_the_invisibility_timeout_is_fetched_again()
    {
        var workers = Process();
        var jobId = Enqueue(Process());
        using var lost = await FetchAsync(workers);

        // As if its worker died six minutes ago (the timeout is five).
        await QueryAsync("UPDATE hangfire.jobqueue SET fetchedat = NOW() - interval '6 minutes'");

        using var retried = await FetchAsync(workers).WaitAsync(Prompt);
        Assert.Equal(jobId, retried.JobId);
    }

    [Fact]
    public async Task Only_a_process_that_fetches_listens_and_it_stops_listening_when_it_stops()
    {
        Enqueue(Process());
        Assert.Equal(0L, await QueryAsync($"SELECT count(*) FROM pg_stat_activity WHERE {Listening}"));

        var workers = Process();
        using (await FetchAsync(workers)) await ListeningAsync();
        workers.Dispose();

        await UntilAsync(async () => await QueryAsync($"SELECT count(*) FROM pg_stat_activity WHERE {Listening}") == 0);
    }

    private NotifiedJobQueue Process()
    {
        var options = JobStorageSetup.StorageOptions();
        options.QueuePollInterval = TimeSpan.FromMinutes(1);
        var queue = NotifiedJobQueue.Serving(Queues, connectionString, options, NullLogger<NotifiedJobQueue>.Instance);
        processes.Add(queue);
        return queue;
    }

    private static string Enqueue(NotifiedJobQueue process)
    {
        using var connection = process.Storage.GetConnection();
        var id = CreateJob(connection);
        using var transaction = connection.CreateWriteTransaction();
        transaction.AddToQueue(JobStorageSetup.DeployQueue, id);
        transaction.Commit();
        return id;
    }

    private static string CreateJob(IStorageConnection connection) =>
        connection.CreateExpiredJob(Job.FromExpression(() => NoJob.Nothing()), new Dictionary<string, string>(), DateTime.UtcNow, TimeSpan.FromHours(1));

    /// <summary>What the queued jobs would run; these tests never run them.</summary>
    public static class NoJob
    {
        public static void Nothing()
        {
        }
    }

    private static Task<IFetchedJob> FetchAsync(NotifiedJobQueue process, TimeSpan? giveUpAfter = null) => Task.Run(() =>
    {
        using var giveUp = new CancellationTokenSource(giveUpAfter ?? TimeSpan.FromSeconds(30));
        using var connection = process.Storage.GetConnection();
        return connection.FetchNextJob(Queues, giveUp.Token);
    });

    private const string Listening =
        "datname = current_database() AND application_name LIKE '% listener' AND query = 'LISTEN new_job'";

    /// <summary>The backend of the (one) listening connection in the database, once it listens.</summary>
    private async Task<long> ListeningAsync(long except = 0)
    {
        long pid = 0;
        await UntilAsync(async () => (pid = await QueryAsync(
            $"SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE {Listening} AND state = 'idle' AND pid <> {except}")) != 0);
        return pid;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        var waited = Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("not so within 10 s");
            await Task.Delay(20);
        }
    }

    private async Task<long> QueryAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString(database, asApp: false));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
