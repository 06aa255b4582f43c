using System.Diagnostics;
using Hangfire.PostgreSql;
using Hangfire.Storage;
using Npgsql;

namespace Paddock.Persistence.Jobs;

/// <summary>Hangfire.PostgreSql's distributed locks, row for row: a lock is a row in its <c>lock</c> table (unique
/// on the resource, which the library prefixes with its schema), deleted on release, and taken over once older than
/// <see cref="PostgreSqlStorageOptions.DistributedLockTimeout"/> (a holder that died). The library removes an
/// expired row and inserts its own in two transactions (four round trips); here both statements go in one batch,
/// one implicit transaction and one round trip. Same rows, so a process on the library's locks and one on these
/// exclude each other.</summary>
public sealed class LockTable(string connectionString, PostgreSqlStorageOptions options)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMilliseconds(500);

    private readonly string table = $"\"{options.SchemaName}\".\"lock\"";

    /// <summary>The row's key for Hangfire's resource name, as the library writes it.</summary>
    public string RowFor(string resource) => $"{options.SchemaName}:{resource}";

    /// <summary>Waits up to <paramref name="timeout"/> for the row, retrying at growing spacing while another
    /// holds it.</summary>
    /// <exception cref="DistributedLockTimeoutException">Another holder kept it all along.</exception>
    public void Acquire(string row, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        var pause = FirstRetry;
        while (!TryAcquire(row))
        {
            var left = timeout - waited.Elapsed;
            if (left <= TimeSpan.Zero) throw new DistributedLockTimeoutException(row);
            Thread.Sleep(left < pause ? left : pause);
            pause = pause * 2 < LongestRetry ? pause * 2 : LongestRetry;
        }
    }

    public void Release(string row)
    {
        using var connection = Open();
        using var command = new NpgsqlCommand($"DELETE FROM {table} WHERE resource = @row", connection);
        command.Parameters.AddWithValue("row", row);
        command.ExecuteNonQuery();
    }

    private bool TryAcquire(string row)
    {
        // The library's clock and columns: "acquired" is the acquirer's time, expiry is judged by the next one's.
        var now = DateTime.UtcNow;
        using var connection = Open();
        using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand($"DELETE FROM {table} WHERE resource = $1 AND acquired < $2")
                {
                    Parameters = { new() { Value = row }, new() { Value = now - options.DistributedLockTimeout } },
                },
                new NpgsqlBatchCommand($"INSERT INTO {table} (resource, acquired) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                {
                    Parameters = { new() { Value = row }, new() { Value = now } },
                },
            },
        };
        batch.ExecuteNonQuery();
        return batch.BatchCommands[1].RecordsAffected == 1;
    }

    private NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
    }
}
