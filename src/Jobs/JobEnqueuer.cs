using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Paddock.Jobs;

/// <summary>Creates a Hangfire job straight into its Enqueued state in one statement: the job, its Enqueued state and
/// its queue entry, with the notice that wakes a worker, in one round trip. Hangfire's client writes the same rows in
/// two transactions (six round trips, all on a deployment's wait for its worker). Same tables, same serialization
/// (Hangfire's own, under the process's Hangfire configuration), so workers, the dashboard and the sweeper see a job
/// like any other.
/// It skips the client's pipeline (client filters and state election), which Paddock's jobs do not use: the queue is
/// the one given here, as their <c>[Queue]</c> attribute names it.
/// It is the one piece of Paddock that writes the library's tables, kept because it is the largest measured part of
/// a deploy job's pick-up (docs/benchmarks.md); what it relies on is listed in <see cref="HangfirePostgreSqlContract"/>.</summary>
public sealed class JobEnqueuer
{
    private readonly string _connectionString;
    private readonly string _sql;

    public JobEnqueuer(string connectionString, PostgreSqlStorageOptions options)
    {
        _connectionString = connectionString;
        var schema = $"\"{options.SchemaName}\"";
        // The job names its state row and the state row its job: the state's id is drawn first so that both are
        // written in one statement (its foreign key is checked at the statement's end).
        _sql = $"""
            WITH state_id AS MATERIALIZED (
                SELECT nextval(pg_get_serial_sequence('{schema}.state', 'id')) AS id),
            job AS (
                INSERT INTO {schema}.job (stateid, statename, invocationdata, arguments, createdat)
                SELECT id, @state, @invocation, @arguments, @createdAt FROM state_id
                RETURNING id, stateid),
            state AS (
                INSERT INTO {schema}.state (id, jobid, name, createdat, data)
                SELECT stateid, id, @state, @createdAt, @data FROM job),
            queued AS (
                INSERT INTO {schema}.jobqueue (jobid, queue) SELECT id, @queue FROM job)
            SELECT id FROM job
            """;
    }

    /// <summary>The new job's id, once it is committed and its notice sent. After a Postgres restart every pooled
    /// connection is dead, and each fails on first use: the pool is cleared and the enqueue tried once more on a fresh
    /// connection, rather than leaving the job to the sweeper. (Should the first attempt have committed before its
    /// connection broke, the job exists twice; Paddock's jobs are idempotent, so the second finds nothing to do.)</summary>
    public async Task<string> EnqueueAsync(Job job, string queue, CancellationToken ct = default)
    {
        var createdAt = DateTime.UtcNow;
        var state = new EnqueuedState(queue); // validates the queue's name
        var invocation = InvocationData.SerializeJob(job);
        try
        {
            return await InsertAsync(state, invocation, queue, createdAt, ct);
        }
        catch (Exception e) when (IsBrokenConnection(e) && !ct.IsCancellationRequested)
        {
            await using (var stale = new NpgsqlConnection(_connectionString)) NpgsqlConnection.ClearPool(stale);
            return await InsertAsync(state, invocation, queue, createdAt, ct);
        }
    }

    private async Task<string> InsertAsync(EnqueuedState state, InvocationData invocation, string queue, DateTime createdAt, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(ct);
        // One batch, one implicit transaction: the notice goes out when the rows are visible.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { new NpgsqlBatchCommand(_sql), new NpgsqlBatchCommand($"NOTIFY {HangfirePostgreSqlContract.NewJobChannel}") },
        };
        var parameters = batch.BatchCommands[0].Parameters;
        parameters.AddWithValue("state", state.Name);
        parameters.AddWithValue("invocation", NpgsqlDbType.Jsonb, SerializationHelper.Serialize(invocation));
        parameters.AddWithValue("arguments", NpgsqlDbType.Jsonb, invocation.Arguments);
        parameters.AddWithValue("createdAt", createdAt);
        parameters.AddWithValue("data", NpgsqlDbType.Jsonb, SerializationHelper.Serialize(state.SerializeData()));
        parameters.AddWithValue("queue", queue);
        var id = (long)(await batch.ExecuteScalarAsync(ct))!;
        return id.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The connection died under the command (the server restarted or ended the session), as opposed to the
    /// statement being refused.</summary>
    internal static bool IsBrokenConnection(Exception e) => e switch
    {
        PostgresException postgres => postgres.SqlState is "57P01" or "57P02" or "57P03" || postgres.SqlState.StartsWith("08", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.InnerException is IOException or System.Net.Sockets.SocketException or EndOfStreamException || npgsql.IsTransient,
        _ => false,
    };
}
