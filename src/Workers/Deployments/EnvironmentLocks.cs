using System.Buffers.Binary;
using Npgsql;

namespace Paddock.Workers.Deployments;

/// <summary>One deploy or teardown per environment at a time, across any number of worker processes: a Postgres
/// session advisory lock held on a dedicated connection for as long as the job runs, backend calls included.
/// If the process dies, the connection closes and Postgres releases the lock.</summary>
public sealed class EnvironmentLocks(string connectionString)
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until the environment's lock is free. <paramref name="whileWaiting"/> runs every few seconds
    /// meanwhile (a queued deployment's heartbeat, so the sweeper knows a job is on it).</summary>
    public async Task<EnvironmentLock> AcquireAsync(Guid environmentId, Func<Task>? whileWaiting, CancellationToken ct)
    {
        var key = KeyOf(environmentId);
        var connection = LockConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            var lastWaitCallback = DateTime.UtcNow;
            while (!await TryLockAsync(connection, key, ct))
            {
                if (whileWaiting is not null && DateTime.UtcNow - lastWaitCallback > TimeSpan.FromSeconds(3))
                {
                    await whileWaiting();
                    lastWaitCallback = DateTime.UtcNow;
                }
                await Task.Delay(RetryPause, ct);
            }
            return new EnvironmentLock(connection);
        }
        catch
        {
            await ReleaseAllAsync(connection);
            throw;
        }
    }

    /// <summary>A connection for holding session locks. Pooled: opening a fresh one (a new server process and a SCRAM
    /// handshake) cost more than the rest of a job's start. Safe because every path releases all of the session's
    /// locks before the connection goes back to the pool (<see cref="EnvironmentLock"/>, <see cref="ReleaseAllAsync"/>);
    /// a broken connection is never pooled, and Postgres released its locks when it broke.</summary>
    public static NpgsqlConnection LockConnection(string connectionString) =>
        new(new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 15, NoResetOnClose = false }.ConnectionString);

    /// <summary>A stable 64-bit key per environment, tagged so it cannot meet Paddock's other advisory locks by design.</summary>
    public static long KeyOf(Guid environmentId)
    {
        Span<byte> bytes = stackalloc byte[16];
        environmentId.TryWriteBytes(bytes);
        var mixed = BinaryPrimitives.ReadInt64LittleEndian(bytes[..8]) ^ BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        return mixed ^ 0x656e_765f_6c6f_636b;
    }

    /// <summary>Releases whatever session locks the connection holds (a cancelled try may have taken one), then closes it.</summary>
    public static async Task ReleaseAllAsync(NpgsqlConnection connection)
    {
        try
        {
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        catch (NpgsqlException)
        {
            // The connection is gone, and with it its locks; Npgsql does not pool a broken connection.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, long key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", key);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>A held environment lock; disposing releases it.</summary>
public sealed class EnvironmentLock(NpgsqlConnection connection) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => new(EnvironmentLocks.ReleaseAllAsync(connection));
}
