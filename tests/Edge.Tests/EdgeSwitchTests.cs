using System.Diagnostics;
using Paddock.Edge.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Paddock.Edge.Tests;

/// <summary>The deploy protocol: switch the row, NOTIFY, wait for the acknowledgement, drain, remove the old
/// upstream. Its own edge and database, so the figures are not disturbed by other tests.</summary>
public class EdgeSwitchTests(EdgeFixture edge, ITestOutputHelper output) : IClassFixture<EdgeFixture>
{
    // What the worker waits between the acknowledgement and removing the old containers (Edge:DrainSeconds).
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_request_loop_across_a_switch_and_the_old_upstreams_removal_sees_no_failures_and_ends_on_the_new_version()
    {
        var old = await Upstream.StartAsync("v1");
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, old));

        const int total = 2_000;
        const int clients = 8;
        var sent = 0;
        var failures = new List<string>();
        var answers = new string[total];
        var switchAfter = total / 4;
        var switched = new TaskCompletionSource();
        var oldRemoved = new TaskCompletionSource();
        using var timeLimit = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        async Task Client()
        {
            while (true)
            {
                var n = Interlocked.Increment(ref sent) - 1;
                if (n >= total) return;
                // Hold the last quarter back until the old upstream is gone, so the end of the loop runs without it.
                if (n >= total * 3 / 4) await oldRemoved.Task.WaitAsync(timeLimit.Token);
                try
                {
                    answers[n] = await edge.GetTextAsync(host);
                }
                catch (Exception e)
                {
                    lock (failures) failures.Add($"request {n}: {e.GetType().Name} {e.Message}");
                }
                if (n == switchAfter) switched.TrySetResult();
            }
        }

        async Task Deploy()
        {
            await switched.Task.WaitAsync(timeLimit.Token);
            var version = await edge.SwitchAsync(id, host, edge.V2);
            await edge.WaitForAcknowledgementAsync(id, version);
            await Task.Delay(Drain);
            await old.DisposeAsync();
            oldRemoved.SetResult();
        }

        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Client()).Append(Deploy()));
        output.WriteLine($"{total} requests by {clients} clients across a switch in {stopwatch.ElapsedMilliseconds} ms; old upstream served {old.Served}, new served {edge.V2.Served}");

        Assert.Empty(failures);
        Assert.Equal("v1", answers[0]);
        Assert.All(answers[(total * 3 / 4)..], answer => Assert.Equal("v2", answer));
        Assert.True(old.Served > 0);
    }

    [Fact]
    public async Task The_edge_acknowledges_a_switch_within_a_fraction_of_a_second()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, edge.V1));
        var samples = new List<TimeSpan>();

        for (var i = 0; i < 50; i++)
        {
            var target = i % 2 == 0 ? edge.V2 : edge.V1;
            var started = Stopwatch.GetTimestamp();
            var version = await edge.SwitchAsync(id, host, target);
            await edge.WaitForAcknowledgementAsync(id, version);
            samples.Add(Stopwatch.GetElapsedTime(started));
            Assert.Equal(target.Text, await edge.GetTextAsync(host));
        }

        output.WriteLine($"NOTIFY to acknowledgement (commit + notify + reload + apply + ack + 2 ms polling): {Percentiles.Describe(samples)}");
        Assert.True(Percentiles.Of(samples, 95) < 1_000, Percentiles.Describe(samples));
    }

    [Fact]
    public async Task After_its_LISTEN_connection_is_killed_the_edge_still_picks_up_switches()
    {
        var (id, host) = await edge.CreateEnvironmentAsync();
        await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, edge.V1));

        var killed = await edge.ScalarAsync("""
            SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND query LIKE 'LISTEN paddock_edge%') AS terminated
            """);
        Assert.Equal(1, killed);

        // Notified at once: the notice may well be lost while the edge reconnects.
        var version = await edge.SwitchAsync(id, host, edge.V3);
        await edge.WaitForAcknowledgementAsync(id, version, TimeSpan.FromSeconds(10));
        Assert.Equal("v3", await edge.GetTextAsync(host));

        // And the new connection listens again.
        await EdgeRoutingTests.Eventually(async () => await edge.ScalarAsync(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN paddock_edge%'") == 1);
        version = await edge.SwitchAsync(id, host, edge.V2);
        await edge.WaitForAcknowledgementAsync(id, version, TimeSpan.FromSeconds(5));
        Assert.Equal("v2", await edge.GetTextAsync(host));
    }
}
