using System.Data;
using System.Globalization;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using Paddock.Persistence.Events;

namespace Paddock.Persistence.Jobs;

/// <summary>Hangfire's job queue in Postgres, woken by one listening connection per process. The library's own queue
/// opens a LISTEN connection for every wait of every worker, and breaks and waits for it once the worker has fetched a
/// job — on the way from the fetch to the job's start — and every notice wakes every waiting worker to race for the one
/// job. Here a notice wakes one waiting worker, which wakes the next only when its fetch saw more jobs waiting; the poll
/// interval stays the fallback for a lost notice. Same tables, the library's fetch order and the same <c>NOTIFY</c>
/// channel, so processes with either queue share the jobs.</summary>
public sealed class NotifiedJobQueue : IPersistentJobQueue, IPersistentJobQueueProvider, IDisposable
{
    /// <summary>The library's channel, so processes on either queue wake each other.</summary>
    public const string Channel = "new_job";

    /// <summary>A lost listening connection is replaced within this (the poll interval covers the gap).</summary>
    private static readonly TimeSpan MaxReconnectPause = TimeSpan.FromSeconds(1);

    private readonly PostgreSqlStorageOptions options;
    private readonly string connectionString;
    private readonly ILogger logger;
    private readonly string fetchSql;
    private readonly string fetchAndLockSql;
    private readonly string lockedJobSql;
    private readonly IPersistentJobQueueMonitoringApi monitoring;
    private readonly AutoResetEvent jobsWaiting = new(false);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock listenerGate = new();
    private Task? listener;

    /// <summary>Paddock's Hangfire storage (<see cref="PaddockJobStorage"/>) on <paramref name="connectionString"/>,
    /// with this queue serving <paramref name="queues"/> (<see cref="Storage"/>).</summary>
    public static NotifiedJobQueue Serving(IEnumerable<string> queues, string connectionString, PostgreSqlStorageOptions options,
        ILogger<NotifiedJobQueue> logger)
    {
        var storage = new PaddockJobStorage(connectionString, options);
        var queue = new NotifiedJobQueue(storage, options, connectionString, logger);
        storage.QueueProviders.Add(queue, queues);
        return queue;
    }

    private NotifiedJobQueue(PostgreSqlStorage storage, PostgreSqlStorageOptions options, string connectionString,
        ILogger<NotifiedJobQueue> logger)
    {
        Storage = storage;
        this.options = options;
        this.connectionString = connectionString;
        this.logger = logger;
        monitoring = new PostgreSqlJobQueueProvider(storage, options).GetJobQueueMonitoringApi();
        var schema = $"\"{options.SchemaName}\"";
        const string fetchable = "queue = ANY(@queues) AND (fetchedat IS NULL OR fetchedat < NOW() - make_interval(secs => @invisible))";
        // One statement, so no transaction around it; "more" is read in the statement's own snapshot, in which the
        // fetched row is still unfetched, hence the id test.
        var fetch = $"""
            UPDATE {schema}.jobqueue AS fetched SET fetchedat = NOW()
            WHERE id = (SELECT id FROM {schema}.jobqueue WHERE {fetchable}
                        ORDER BY fetchedat NULLS FIRST, queue, jobid FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING id, jobid, queue, fetchedat,
                      EXISTS (SELECT 1 FROM {schema}.jobqueue WHERE {fetchable} AND id <> fetched.id) AS more
            """;
        fetchSql = fetch;
        // The job's state lock is Hangfire's "job:{id}:state-lock" as LockTable names its row. A row already there
        // (held, or left by a dead holder) is left alone: the worker's own acquire then waits or takes it over.
        // The fetched job's id is kept for the transaction (set_config's "local") for the next statement of the batch.
        fetchAndLockSql = $"""
            WITH fetched AS ({fetch}),
            locked AS (
                INSERT INTO {schema}.lock (resource, acquired)
                SELECT @lockPrefix || jobid || ':state-lock', @now FROM fetched
                ON CONFLICT DO NOTHING
                RETURNING resource)
            SELECT f.id, f.jobid, f.queue, f.fetchedat, f.more, l.resource,
                   set_config('paddock.locked_job', CASE WHEN l.resource IS NULL THEN '' ELSE f.jobid::text END, true)
            FROM fetched f LEFT JOIN locked l ON true
            """;
        // A statement of its own, so its snapshot is taken once the lock is held, as Hangfire reads it.
        lockedJobSql = $"""
            SELECT invocationdata::text, statename, arguments::text, createdat FROM {schema}.job
            WHERE id = nullif(current_setting('paddock.locked_job', true), '')::bigint
            """;
    }

    public PostgreSqlStorage Storage { get; }

    public IPersistentJobQueue GetJobQueue() => this;

    public IPersistentJobQueueMonitoringApi GetJobQueueMonitoringApi() => monitoring;

    public void Enqueue(IDbConnection connection, string queue, string jobId)
    {
        // Runs inside the enqueuing transaction (Hangfire's), so the notice goes out when the row is visible.
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            INSERT INTO "{options.SchemaName}"."jobqueue" (jobid, queue) VALUES (@jobId, @queue);
            NOTIFY {Channel};
            """;
        AddParameter(command, "jobId", long.Parse(jobId, CultureInfo.InvariantCulture));
        AddParameter(command, "queue", queue);
        command.ExecuteNonQuery();
    }

    public IFetchedJob Dequeue(string[] queues, CancellationToken cancellationToken) =>
        Wait(queues, lockRowPrefix: null, cancellationToken).Job;

    /// <summary>What <see cref="DequeueAndLock"/> fetched, with the job's state lock when it took it (the row, as
    /// <see cref="LockTable"/> names it) and the job's row as read under that lock.</summary>
    public sealed record Fetched(IFetchedJob Job, string? StateLockRow, LockedJobRow? Row);

    public sealed record LockedJobRow(string InvocationData, string? StateName, string Arguments, DateTime CreatedAt);

    /// <summary>Waits for a job like <see cref="Dequeue"/>, and in the fetch's round trip also takes the job's state
    /// lock and reads the job under it: the first two things a Hangfire worker does with a fetched job, each a round
    /// trip of its own otherwise, on every deployment's wait for its worker.</summary>
    public Fetched DequeueAndLock(string[] queues, LockTable locks, CancellationToken cancellationToken) =>
        Wait(queues, locks.RowFor("job:"), cancellationToken);

    private Fetched Wait(string[] queues, string? lockRowPrefix, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(queues.Length, nameof(queues));
        EnsureListening();
        WaitHandle[] wakers = [cancellationToken.WaitHandle, jobsWaiting];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Fetch(queues, lockRowPrefix) is { } fetched) return fetched;
            WaitHandle.WaitAny(wakers, options.QueuePollInterval);
        }
    }

    private Fetched? Fetch(string[] queues, string? lockRowPrefix)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        var fetch = new NpgsqlBatchCommand(lockRowPrefix is null ? fetchSql : fetchAndLockSql);
        using var batch = new NpgsqlBatch(connection) { BatchCommands = { fetch } };
        fetch.Parameters.AddWithValue("queues", queues);
        fetch.Parameters.AddWithValue("invisible", options.InvisibilityTimeout.TotalSeconds);
        if (lockRowPrefix is not null)
        {
            fetch.Parameters.AddWithValue("lockPrefix", lockRowPrefix);
            fetch.Parameters.AddWithValue("now", DateTime.UtcNow); // the lock's "acquired", as LockTable writes it
            batch.BatchCommands.Add(new NpgsqlBatchCommand(lockedJobSql));
        }

        using var reader = batch.ExecuteReader();
        if (!reader.Read()) return null;
        if (reader.GetBoolean(4)) jobsWaiting.Set();
        var job = new PostgreSqlFetchedJob(Storage, reader.GetInt64(0),
            reader.GetInt64(1).ToString(CultureInfo.InvariantCulture), reader.GetString(2), reader.GetDateTime(3));
        if (lockRowPrefix is null || reader.IsDBNull(5)) return new Fetched(job, null, null);
        var lockRow = reader.GetString(5);
        reader.NextResult();
        var row = reader.Read()
            ? new LockedJobRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetDateTime(3))
            : null;
        return new Fetched(job, lockRow, row);
    }

    private void EnsureListening()
    {
        if (listener is not null) return;
        // Held for the process's life, on a connection of its own; after a reconnect, whatever was enqueued while
        // nobody listened is fetched by the wake that follows LISTEN.
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.ApplicationName = $"{builder.ApplicationName} listener".Trim();
        lock (listenerGate)
            listener ??= Task.Run(() => PostgresListener.ListenAsync(builder.ConnectionString, Channel, _ => jobsWaiting.Set(),
                () => jobsWaiting.Set(), logger, MaxReconnectPause, stopping.Token));
    }

    private static void AddParameter(IDbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>Stops the listening connection. The wait handles are left to the finalizer: a Hangfire worker that
    /// outlived the server's shutdown may still be waiting on them.</summary>
    public void Dispose()
    {
        stopping.Cancel();
        listener?.ContinueWith(_ => { }, TaskScheduler.Default).Wait(TimeSpan.FromSeconds(5));
    }
}
