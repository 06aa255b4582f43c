using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Npgsql;
using Paddock.Jobs;

namespace Paddock.Jobs.Tests;

/// <summary>The one-statement enqueue against a real Postgres, compared with what Hangfire's own client writes for the
/// same job on the same storage.</summary>
public sealed class JobEnqueuerTests : IAsyncLifetime
{
    private string _database = "";
    private string _connectionString = "";
    private JobStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        var paddockConnection = PostgresServer.ConnectionString(_database, asApp: true);
        _connectionString = JobStorageSetup.ConnectionStringFor(paddockConnection);
        var options = JobStorageSetup.StorageOptions();
        options.QueuePollInterval = TimeSpan.FromMinutes(1); // so a prompt fetch was woken by the notice
        _storage = JobStorageSetup.Storage(paddockConnection, options);
    }

    public Task DisposeAsync() => PostgresServer.DropDatabaseAsync(_database);

    private JobEnqueuer Enqueuer() => new(_connectionString, JobStorageSetup.StorageOptions());

    private static Job SomeJob(Guid id) => Job.FromExpression<IEnvironmentJobs>(j => j.DeployAsync(id, CancellationToken.None));

    [Fact]
    public async Task It_writes_the_rows_Hangfires_client_writes_for_an_enqueued_job()
    {
        var id = Guid.NewGuid();
        var byClient = new BackgroundJobClient(_storage).Create(SomeJob(id), new EnqueuedState(JobStorageSetup.DeployQueue));
        var byEnqueuer = await Enqueuer().EnqueueAsync(SomeJob(id), JobStorageSetup.DeployQueue);

        var client = await RowsOfAsync(byClient);
        var enqueuer = await RowsOfAsync(byEnqueuer);
        Assert.Equal(client, enqueuer with { CreatedAt = client.CreatedAt, EnqueuedAt = client.EnqueuedAt });
        Assert.Equal("Enqueued", enqueuer.StateName);
        Assert.Equal(JobStorageSetup.DeployQueue, enqueuer.Queue);
        Assert.InRange(enqueuer.EnqueuedAt, enqueuer.CreatedAt.AddSeconds(-1), enqueuer.CreatedAt.AddSeconds(1));

        using var connection = _storage.GetConnection();
        var data = connection.GetJobData(byEnqueuer);
        Assert.Equal("Enqueued", data.State);
        Assert.Null(data.LoadException);
        Assert.Equal(nameof(IEnvironmentJobs.DeployAsync), data.Job.Method.Name);
        Assert.Equal(id, data.Job.Args[0]);
    }

    /// <summary>Pins <see cref="HangfirePostgreSqlContract.NewJobChannel"/>: with a minute's poll, only the library's
    /// listener hearing the enqueue's notice makes the fetch prompt.</summary>
    [Fact]
    public async Task A_worker_waiting_in_the_librarys_queue_is_woken_by_its_notice_and_fetches_it()
    {
        var fetching = Task.Run(() =>
        {
            using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var connection = _storage.GetConnection();
            using var job = connection.FetchNextJob(JobStorageSetup.Queues, giveUp.Token);
            return job.JobId;
        });
        await Task.Delay(300); // the worker is waiting (and listening) before the job exists

        var jobId = await Enqueuer().EnqueueAsync(SomeJob(Guid.NewGuid()), JobStorageSetup.DeployQueue);

        Assert.Equal(jobId, await fetching.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_queue_name_Hangfire_refuses_is_refused_and_nothing_is_written()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Enqueuer().EnqueueAsync(SomeJob(Guid.NewGuid()), "Not A Queue"));

        Assert.Equal(0L, await CountAsync("SELECT (SELECT count(*) FROM hangfire.job) + (SELECT count(*) FROM hangfire.jobqueue)"));
    }

    private sealed record Rows(string InvocationData, string Arguments, string StateName, bool Persisted, DateTime CreatedAt,
        string StateOfJob, string Queue, DateTime EnqueuedAt, long QueueEntries);

    private async Task<Rows> RowsOfAsync(string jobId)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT j.invocationdata::text, j.arguments::text, j.statename, j.expireat IS NULL, j.createdat,
                   s.name, s.data ->> 'Queue', s.data ->> 'EnqueuedAt',
                   (SELECT count(*) FROM hangfire.jobqueue q WHERE q.jobid = j.id AND q.queue = s.data ->> 'Queue' AND q.fetchedat IS NULL)
            FROM hangfire.job j JOIN hangfire.state s ON s.id = j.stateid AND s.jobid = j.id
            WHERE j.id = @id
            """, connection);
        command.Parameters.AddWithValue("id", long.Parse(jobId));
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"job {jobId} and its state");
        return new Rows(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3), reader.GetDateTime(4),
            reader.GetString(5), reader.GetString(6), JobHelper.DeserializeDateTime(reader.GetString(7)), reader.GetInt64(8));
    }

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString(_database, asApp: false));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
