using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Paddock.Persistence.Jobs;

/// <summary>Creates a Hangfire job straight into its Enqueued state in one statement: the job, its Enqueued state and
/// its queue entry, with the notice that wakes a worker, in one round trip. Hangfire's client writes the same rows in
/// two transactions (six round trips, all on a deployment's wait for its worker). Same tables, same serialization
/// (Hangfire's own, under the process's Hangfire configuration), so workers, the dashboard and the sweeper see a job
/// like any other.
/// It skips the client's pipeline (client filters and state election), which Paddock's jobs do not use: the queue is
/// the one given here, as their <c>[Queue]</c> attribute names it.</summary>
public sealed class JobEnqueuer
{
    private readonly string connectionString;
    private readonly string sql;

    public JobEnqueuer(string connectionString, PostgreSqlStorageOptions options)
    {
        this.connectionString = connectionString;
        var schema = $"\"{options.SchemaName}\"";
        // The job names its state row and the state row its job: the state's id is drawn first so that both are
        // written in one statement (its foreign key is checked at the statement's end).
        sql = $"""
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

    /// <summary>The new job's id, once it is committed and its notice sent.</summary>
    public async Task<string> EnqueueAsync(Job job, string queue, CancellationToken ct = default)
    {
        var createdAt = DateTime.UtcNow;
        var state = new EnqueuedState(queue); // validates the queue's name
        var invocation = InvocationData.SerializeJob(job);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        // One batch, one implicit transaction: the notice goes out when the rows are visible.
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { new NpgsqlBatchCommand(sql), new NpgsqlBatchCommand($"NOTIFY {NotifiedJobQueue.Channel}") },
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
}
