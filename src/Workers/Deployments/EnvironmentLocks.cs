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
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 15 }.ConnectionString);
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
            return new EnvironmentLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>A stable 64-bit key per environment, tagged so it cannot meet Paddock's other advisory locks by design.</summary>
    public static long KeyOf(Guid environmentId)
    {
        Span<byte> bytes = stackalloc byte[16];
        environmentId.TryWriteBytes(bytes);
        var mixed = BinaryPrimitives.ReadInt64LittleEndian(bytes[..8]) ^ BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        return mixed ^ 0x656e_765f_6c6f_636b;
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, long key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", key);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>A held environment lock; disposing releases it.</summary>
public sealed class EnvironmentLock(NpgsqlConnection connection, long key) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            command.Parameters.AddWithValue("key", key);
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The connection is gone, and with it the lock.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }
}
