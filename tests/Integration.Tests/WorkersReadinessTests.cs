using System.Net;
using System.Text.Json;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests;

/// <summary>/readyz says whether a worker is online, without failing readiness on it.</summary>
public sealed class WorkersReadinessTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Readiness_says_no_worker_is_online_until_one_heartbeats_and_stays_ready_either_way()
    {
        var before = await ReadyAsync();
        Assert.Equal("ready", before.GetProperty("status").GetString());
        Assert.Equal("no worker online", before.GetProperty("workers").GetProperty("status").GetString());

        await PostgresServer.ExecuteAsync("""
            INSERT INTO hangfire.server (id, data, lastheartbeat) VALUES
              ('worker-gone', '{}', now() - interval '5 minutes'),
              ('worker-alive', '{}', now())
            """, portal.DatabaseName);

        var after = await ReadyAsync();
        Assert.Equal(1, after.GetProperty("workers").GetProperty("online").GetInt32());
        Assert.Equal("1 worker(s) online", after.GetProperty("workers").GetProperty("status").GetString());
    }

    private async Task<JsonElement> ReadyAsync()
    {
        var response = await portal.ClientWithToken(null).GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
