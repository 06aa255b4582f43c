using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;

namespace Paddock.Persistence.Jobs;

/// <summary>Hangfire.PostgreSql's storage with its distributed locks taken through <see cref="LockTable"/>: the same
/// rows in the same table, in one round trip instead of two transactions. Every job's way from fetch to start holds
/// one (the job's state lock), so this is on every deployment's wait.</summary>
public sealed class PaddockJobStorage(string connectionString, PostgreSqlStorageOptions options)
    : PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options)
{
    private readonly LockTable locks = new(connectionString, options);

    public override IStorageConnection GetConnection() => new Connection(this, locks);

    /// <summary>The library's connection, but for its locks. Like the library's, a lock is re-entrant within one
    /// connection, and whatever a connection still holds when disposed is released.</summary>
    private sealed class Connection(PostgreSqlStorage storage, LockTable locks) : PostgreSqlConnection(storage)
    {
        private readonly Dictionary<string, int> held = [];

        public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
        {
            var row = locks.RowFor(resource);
            if (held.TryGetValue(row, out var count)) held[row] = count + 1;
            else
            {
                locks.Acquire(row, timeout);
                held[row] = 1;
            }
            return new Held(this, row);
        }

        private void Release(string row)
        {
            if (!held.TryGetValue(row, out var count)) return;
            if (count > 1)
            {
                held[row] = count - 1;
                return;
            }
            held.Remove(row);
            locks.Release(row);
        }

        public override void Dispose()
        {
            try
            {
                foreach (var row in held.Keys.ToList()) locks.Release(row);
                held.Clear();
            }
            finally
            {
                base.Dispose();
            }
        }

        private sealed class Held(Connection connection, string row) : IDisposable
        {
            private bool released;

            public void Dispose()
            {
                if (released) return;
                released = true;
                connection.Release(row);
            }
        }
    }
}
