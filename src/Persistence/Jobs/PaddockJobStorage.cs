using Hangfire.Common;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage;

namespace Paddock.Persistence.Jobs;

/// <summary>Hangfire.PostgreSql's storage with its distributed locks taken through <see cref="LockTable"/>: the same
/// rows in the same table, in one round trip instead of two transactions. Every job's way from fetch to start holds
/// one (the job's state lock), so this is on every deployment's wait; with <see cref="NotifiedJobQueue"/> serving the
/// queues, a worker's fetch takes that lock and reads the job in its own round trip.</summary>
public sealed class PaddockJobStorage(string connectionString, PostgreSqlStorageOptions options)
    : PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options)
{
    private readonly LockTable locks = new(connectionString, options);

    public override IStorageConnection GetConnection() => new Connection(this, locks);

    /// <summary>The library's connection, but for its locks and its fetch. Like the library's, a lock is re-entrant
    /// within one connection, and whatever a connection still holds when disposed is released.</summary>
    private sealed class Connection(PostgreSqlStorage storage, LockTable locks) : PostgreSqlConnection(storage)
    {
        private readonly Dictionary<string, int> held = [];

        /// <summary>The state lock the last fetch took, until the worker's own acquire of it takes it over.</summary>
        private string? lockedByFetch;

        /// <summary>The job the last fetch read under that lock, for the worker's read that follows its acquire; once,
        /// and only while the lock is held (its release forgets it).</summary>
        private (string JobId, string LockRow, NotifiedJobQueue.LockedJobRow Row)? readByFetch;

        public override IFetchedJob FetchNextJob(string[] queues, CancellationToken cancellationToken)
        {
            if (queues.Length == 0 || storage.QueueProviders.GetProvider(queues[0]) is not NotifiedJobQueue queue
                || queues.Any(q => storage.QueueProviders.GetProvider(q) != queue))
                return base.FetchNextJob(queues, cancellationToken);
            var fetched = queue.DequeueAndLock(queues, locks, cancellationToken);
            if (fetched.StateLockRow is { } row)
            {
                held.Add(row, 1); // its insert found no row, so this connection did not hold it either
                lockedByFetch = row;
                readByFetch = fetched.Row is { } read ? (fetched.Job.JobId, row, read) : null;
            }
            return fetched.Job;
        }

        public override IDisposable AcquireDistributedLock(string resource, TimeSpan timeout)
        {
            var row = locks.RowFor(resource);
            if (lockedByFetch == row) lockedByFetch = null; // taken over: released with this acquire's release
            else if (held.TryGetValue(row, out var count)) held[row] = count + 1;
            else
            {
                locks.Acquire(row, timeout);
                held[row] = 1;
            }
            return new Held(this, row);
        }

        public override JobData GetJobData(string id)
        {
            if (readByFetch is not { } read || read.JobId != id || lockedByFetch is not null)
                return base.GetJobData(id);
            readByFetch = null; // once: a later read, after this state change, goes to the database
            return ToJobData(read.Row);
        }

        /// <summary>The job as the library's <c>GetJobData</c> reads it from the same columns.</summary>
        private static JobData ToJobData(NotifiedJobQueue.LockedJobRow row)
        {
            var invocation = SerializationHelper.Deserialize<InvocationData>(row.InvocationData);
            invocation.Arguments = row.Arguments;
            Job? job = null;
            JobLoadException? loadException = null;
            try
            {
                job = invocation.DeserializeJob();
            }
            catch (JobLoadException e)
            {
                loadException = e;
            }
            return new JobData { Job = job, State = row.StateName, CreatedAt = row.CreatedAt, LoadException = loadException };
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
            if (readByFetch?.LockRow == row) readByFetch = null;
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
