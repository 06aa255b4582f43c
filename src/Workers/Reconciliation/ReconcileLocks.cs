using Npgsql;
using Paddock.Workers.Deployments;

namespace Paddock.Workers.Reconciliation;

/// <summary>The reconciler's side of the per-environment lock that deploys and teardowns hold for their whole run:
/// it only tries, never waits, so a deployment in progress is never fought (it sets the state itself when done).</summary>
public sealed class ReconcileLocks(string connectionString)
{
    /// <summary>The held lock, or null when a deploy or teardown (or another reconcile) holds it.</summary>
    public async Task<EnvironmentLock?> TryAcquireAsync(Guid environmentId, CancellationToken ct)
    {
        var key = EnvironmentLocks.KeyOf(environmentId);
        var connection = EnvironmentLocks.LockConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection);
            command.Parameters.AddWithValue("key", key);
            if ((bool)(await command.ExecuteScalarAsync(ct))!) return new EnvironmentLock(connection);
        }
        catch
        {
            await EnvironmentLocks.ReleaseAllAsync(connection);
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }
}
