using System.Diagnostics;
using Paddock.Edge.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Paddock.Edge.Tests;

/// <summary>10,000 routes exist before the edge starts.</summary>
public sealed class ManyRoutesEdgeFixture : EdgeFixture
{
    public const int Routes = 10_000;

    public IReadOnlyList<(Guid EnvironmentId, string Host)> Seeded { get; private set; } = [];

    protected override IReadOnlyDictionary<string, string?> EdgeSettings => new Dictionary<string, string?>(base.EdgeSettings)
    {
        ["Logging:LogLevel:Paddock.Edge"] = "Information",
    };

    protected override async Task BeforeEdgeStartsAsync()
    {
        Seeded = await CreateEnvironmentsAsync(Routes);
        await InsertRoutesAsync(Seeded, V1.Address);
    }
}

public class EdgeScaleTests(ManyRoutesEdgeFixture edge, ITestOutputHelper output) : IClassFixture<ManyRoutesEdgeFixture>
{
    [Fact]
    public async Task With_ten_thousand_routes_every_row_is_loaded_and_acknowledged_at_start()
    {
        Assert.Equal(0, await edge.ScalarAsync("SELECT count(*) FROM edge_routes WHERE applied_version <> version"));
        var (_, last) = edge.Seeded[^1];
        Assert.Equal("v1", await edge.GetTextAsync(last));
    }

    [Fact]
    public async Task With_ten_thousand_routes_switches_and_new_routes_are_still_acknowledged_quickly()
    {
        var switches = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var (id, host) = edge.Seeded[i * 397];
            var started = Stopwatch.GetTimestamp();
            await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, edge.V2));
            switches.Add(Stopwatch.GetElapsedTime(started));
            Assert.Equal("v2", await edge.GetTextAsync(host));
        }

        // A new route changes YARP's endpoints (the route matcher is rebuilt), unlike a switch.
        var additions = new List<TimeSpan>();
        foreach (var (id, host) in await edge.CreateEnvironmentsAsync(10))
        {
            var started = Stopwatch.GetTimestamp();
            await edge.WaitForAcknowledgementAsync(id, await edge.SwitchAsync(id, host, edge.V3));
            Assert.Equal("v3", await edge.GetTextAsync(host));
            additions.Add(Stopwatch.GetElapsedTime(started));
        }

        output.WriteLine($"{ManyRoutesEdgeFixture.Routes} routes: switch NOTIFY to ack {Percentiles.Describe(switches)}; new route NOTIFY to first answer {Percentiles.Describe(additions)}");
        Assert.True(Percentiles.Of(switches, 95) < 2_000, Percentiles.Describe(switches));
        Assert.True(Percentiles.Of(additions, 95) < 5_000, Percentiles.Describe(additions));
    }
}
