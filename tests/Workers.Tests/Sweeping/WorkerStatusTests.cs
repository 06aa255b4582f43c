using Paddock.Jobs;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Sweeping;

[Collection(WorkerCollection.Name)]
public sealed class WorkerStatusTests(WorkerWorld world)
{
    [Fact]
    public async Task Workers_count_as_online_only_while_their_heartbeat_is_recent()
    {
        await PostgresServer.ExecuteAsync("DELETE FROM hangfire.server", world.Database);
        var none = await world.WithDb(db => WorkerStatus.QueryAsync(db, TimeProvider.System, CancellationToken.None));
        Assert.Equal("no worker online", none.Summary);

        await PostgresServer.ExecuteAsync("""
            INSERT INTO hangfire.server (id, data, lastheartbeat) VALUES
              ('w-stale', '{}', now() - interval '2 minutes'),
              ('w-live', '{}', now())
            """, world.Database);
        var some = await world.WithDb(db => WorkerStatus.QueryAsync(db, TimeProvider.System, CancellationToken.None));
        Assert.Equal(1, some.Online);
        Assert.Equal("1 worker(s) online", some.Summary);
        await PostgresServer.ExecuteAsync("DELETE FROM hangfire.server", world.Database);
    }
}
