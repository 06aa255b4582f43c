using Npgsql;

namespace Paddock.Persistence.Locks;

/// <summary>Exactly one process, of any number on one database, leads a piece of background work: whoever holds a
/// Postgres session advisory lock on <see cref="Key"/>, on its own unpooled connection. If that connection drops (the
/// process died, the network broke), Postgres releases the lock, the holder's next check fails and it stops leading,
/// and another process takes the lock at its next try.</summary>
public sealed class SessionLeadership(string connectionString, long key) : IAsyncDisposable
{
    private NpgsqlConnection? _held;

    public long Key => key;

    public bool IsLeader => _held is not null;

    /// <summary>Checks the lock is still held (the connection answers), or tries to take it. True while leading.</summary>
    public async Task<bool> TryHoldAsync(CancellationToken ct)
    {
        if (_held is not null)
        {
            try
            {
                await using var ping = new NpgsqlCommand("SELECT 1", _held);
                await ping.ExecuteScalarAsync(ct);
                return true;
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or TimeoutException)
            {
                await DropAsync();
                return false;
            }
        }

        var candidate = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString)
        {
            Pooling = false,
            KeepAlive = 5,
            CommandTimeout = 10,
        }.ConnectionString);
        try
        {
            await candidate.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", candidate);
            command.Parameters.AddWithValue("key", key);
            if ((bool)(await command.ExecuteScalarAsync(ct))!)
            {
                _held = candidate;
                return true;
            }
        }
        catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
        {
        }
        await candidate.DisposeAsync();
        return false;
    }

    /// <summary>Gives leadership up (closing the connection releases the lock).</summary>
    public async Task ReleaseAsync()
    {
        var connection = _held;
        _held = null;
        if (connection is null) return;
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            command.Parameters.AddWithValue("key", key);
            await command.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
        }
        await connection.DisposeAsync();
    }

    private async Task DropAsync()
    {
        var connection = _held;
        _held = null;
        if (connection is not null) await connection.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(ReleaseAsync());
}
