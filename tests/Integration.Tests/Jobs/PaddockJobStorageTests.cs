using System.Diagnostics;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;
using Npgsql;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence.Jobs;

namespace Paddock.Integration.Tests.Jobs;

/// <summary>Hangfire's distributed locks as Paddock takes them (<see cref="LockTable"/>), against a real Postgres:
/// each storage here stands for a process.</summary>
public sealed class PaddockJobStorageTests : IAsyncLifetime
{
    private const string Resource = "job:42:state-lock";
    private static readonly TimeSpan Briefly = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(10);

    private string database = "";
    private string connectionString = "";
    private PaddockJobStorage storage = null!;

    public async Task InitializeAsync()
    {
        database = await PostgresServer.CreateDatabaseAsync();
        connectionString = JobStorageSetup.ConnectionStringFor(PostgresServer.ConnectionString(database, asApp: true));
        storage = new PaddockJobStorage(connectionString, JobStorageSetup.StorageOptions());
    }

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(database);

    [Fact]
    public async Task A_lock_held_elsewhere_is_waited_for_and_taken_once_released()
    {
        using var holder = storage.GetConnection();
        var held = holder.AcquireDistributedLock(Resource, Long);

        using var other = storage.GetConnection();
        Assert.ThrowsAny<DistributedLockTimeoutException>(() => other.AcquireDistributedLock(Resource, Briefly));

        var waiting = Task.Run(() => other.AcquireDistributedLock(Resource, Long));
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        var released = Stopwatch.StartNew();
        held.Dispose();
        using var taken = await waiting.WaitAsync(Long);
        Assert.True(released.Elapsed < TimeSpan.FromSeconds(1), $"taken {released.Elapsed} after its release");
    }

    [Fact]
    public void A_connection_takes_its_own_lock_again_and_holds_it_until_the_last_release()
    {
        using var holder = storage.GetConnection();
        var outer = holder.AcquireDistributedLock(Resource, Long);
        var inner = holder.AcquireDistributedLock(Resource, Briefly);
        using var other = storage.GetConnection();

        inner.Dispose();
        Assert.ThrowsAny<DistributedLockTimeoutException>(() => other.AcquireDistributedLock(Resource, Briefly));

        outer.Dispose();
        other.AcquireDistributedLock(Resource, Briefly).Dispose();
    }

    [Fact]
    public void A_process_on_the_librarys_locks_and_one_on_these_exclude_each_other()
    {
        var options = JobStorageSetup.StorageOptions();
        var library = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
        using var ours = storage.GetConnection();
        using var theirs = library.GetConnection();

        using (theirs.AcquireDistributedLock(Resource, Long))
            Assert.ThrowsAny<DistributedLockTimeoutException>(() => ours.AcquireDistributedLock(Resource, Briefly));

        using (ours.AcquireDistributedLock(Resource, Long))
            Assert.ThrowsAny<DistributedLockTimeoutException>(() => theirs.AcquireDistributedLock(Resource, Briefly));

        theirs.AcquireDistributedLock(Resource, Briefly).Dispose();
    }

    [Fact]
    public async Task A_lock_whose_holder_died_is_taken_over_after_the_lock_timeout()
    {
        var options = JobStorageSetup.StorageOptions();
        var row = new LockTable(connectionString, options).RowFor(Resource);
        await InsertLockAsync(row, DateTime.UtcNow - options.DistributedLockTimeout + TimeSpan.FromMinutes(1));
        using var connection = storage.GetConnection();
        Assert.ThrowsAny<DistributedLockTimeoutException>(() => connection.AcquireDistributedLock(Resource, Briefly));

        await ExecuteAsync($"UPDATE hangfire.lock SET acquired = acquired - interval '2 minutes' WHERE resource = '{row}'");

        using var taken = connection.AcquireDistributedLock(Resource, Briefly);
        Assert.Equal(1L, await ExecuteAsync($"SELECT count(*) FROM hangfire.lock WHERE resource = '{row}' AND acquired > now() - interval '1 minute'"));
    }

    [Fact]
    public void A_disposed_connection_releases_the_locks_it_still_holds()
    {
        var holder = storage.GetConnection();
        holder.AcquireDistributedLock(Resource, Long);
        holder.AcquireDistributedLock("another", Long);

        holder.Dispose();

        using var other = storage.GetConnection();
        other.AcquireDistributedLock(Resource, Briefly).Dispose();
        other.AcquireDistributedLock("another", Briefly).Dispose();
    }

    [Fact]
    public async Task Contending_processes_hold_the_lock_one_at_a_time()
    {
        var processes = Enumerable.Range(0, 4).Select(_ => new PaddockJobStorage(connectionString, JobStorageSetup.StorageOptions())).ToList();
        var inside = 0;
        var overlaps = 0;
        var turns = 0;

        await Task.WhenAll(processes.Select(process => Task.Run(() =>
        {
            for (var turn = 0; turn < 10; turn++)
            {
                using var connection = process.GetConnection();
                using (connection.AcquireDistributedLock(Resource, Long))
                {
                    if (Interlocked.Increment(ref inside) > 1) Interlocked.Increment(ref overlaps);
                    Thread.Sleep(2);
                    turns++; // not atomic on purpose: the lock is what keeps the count right
                    Interlocked.Decrement(ref inside);
                }
            }
        })));

        Assert.Equal(0, overlaps);
        Assert.Equal(40, turns);
        Assert.Equal(0L, await ExecuteAsync("SELECT count(*) FROM hangfire.lock"));
    }

    [Fact]
    public async Task A_workers_fetch_takes_the_jobs_state_lock_which_the_workers_acquire_takes_over()
    {
        using var queue = Serving();
        var jobId = await EnqueueAsync();

        using var worker = queue.Storage.GetConnection();
        using var fetched = Fetch(worker);
        Assert.Equal(jobId, fetched.JobId);
        using var other = queue.Storage.GetConnection();
        Assert.ThrowsAny<DistributedLockTimeoutException>(() => other.AcquireDistributedJobLock(jobId, Briefly));

        // What Hangfire's worker does next: its acquire returns at once, and the job read under the lock is served.
        using (worker.AcquireDistributedJobLock(jobId, Briefly))
        {
            var data = worker.GetJobData(jobId);
            Assert.Equal("Enqueued", data.State);
            Assert.Equal(nameof(NotifiedJobQueueTests.NoJob.Nothing), data.Job.Method.Name);
            Assert.Null(data.LoadException);
            Assert.ThrowsAny<DistributedLockTimeoutException>(() => other.AcquireDistributedJobLock(jobId, Briefly));
        }

        other.AcquireDistributedJobLock(jobId, Briefly).Dispose();
        Assert.Equal(0L, await ExecuteAsync("SELECT count(*) FROM hangfire.lock"));
    }

    [Fact]
    public async Task A_fetch_leaves_a_state_lock_held_elsewhere_and_the_worker_waits_for_it()
    {
        using var queue = Serving();
        var jobId = await EnqueueAsync();
        using var other = queue.Storage.GetConnection();
        var elsewhere = other.AcquireDistributedJobLock(jobId, Long);

        using var worker = queue.Storage.GetConnection();
        using var fetched = Fetch(worker);
        Assert.Equal(jobId, fetched.JobId);
        Assert.ThrowsAny<DistributedLockTimeoutException>(() => worker.AcquireDistributedJobLock(jobId, Briefly));

        elsewhere.Dispose();
        using (worker.AcquireDistributedJobLock(jobId, Briefly))
            Assert.Equal("Enqueued", worker.GetJobData(jobId).State);
    }

    [Fact]
    public async Task The_job_read_by_the_fetch_is_served_once_and_later_reads_go_to_the_database()
    {
        using var queue = Serving();
        var jobId = await EnqueueAsync();
        using var worker = queue.Storage.GetConnection();
        using var fetched = Fetch(worker);

        using (worker.AcquireDistributedJobLock(jobId, Briefly))
        {
            await ExecuteAsync($"UPDATE hangfire.job SET statename = 'Deleted' WHERE id = {jobId}");
            Assert.Equal("Enqueued", worker.GetJobData(jobId).State); // read under the lock, before the change
            Assert.Equal("Deleted", worker.GetJobData(jobId).State);
        }
    }

    [Fact]
    public async Task A_state_lock_a_fetch_took_and_nobody_claimed_is_released_with_the_connection()
    {
        using var queue = Serving();
        var jobId = await EnqueueAsync();
        var worker = queue.Storage.GetConnection();
        using var fetched = Fetch(worker);
        // Read before any acquire: not the fetch's copy (it is served only under the acquired lock).
        await ExecuteAsync($"UPDATE hangfire.job SET statename = 'Deleted' WHERE id = {jobId}");
        Assert.Equal("Deleted", worker.GetJobData(jobId).State);

        worker.Dispose();

        using var other = queue.Storage.GetConnection();
        other.AcquireDistributedJobLock(jobId, Briefly).Dispose();
    }

    private NotifiedJobQueue Serving() => NotifiedJobQueue.Serving(JobStorageSetup.Queues, connectionString,
        JobStorageSetup.StorageOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger<NotifiedJobQueue>.Instance);

    private Task<string> EnqueueAsync() => new JobEnqueuer(connectionString, JobStorageSetup.StorageOptions())
        .EnqueueAsync(Hangfire.Common.Job.FromExpression(() => NotifiedJobQueueTests.NoJob.Nothing()), JobStorageSetup.DeployQueue);

    private static IFetchedJob Fetch(IStorageConnection worker)
    {
        using var giveUp = new CancellationTokenSource(Long);
        return worker.FetchNextJob(JobStorageSetup.Queues, giveUp.Token);
    }

    private Task InsertLockAsync(string row, DateTime acquired) =>
        ExecuteAsync($"INSERT INTO hangfire.lock (resource, acquired) VALUES ('{row}', '{acquired:O}')");

    private async Task<long> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString(database, asApp: false));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
    }
}
