using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

public sealed class UnreachableEngineTests
{
    private static DockerBackend Backend(string endpoint) =>
        new(new DockerBackendOptions { Endpoint = new Uri(endpoint), DescribeTimeout = TimeSpan.FromSeconds(2) }, TimeProvider.System);

    [Fact]
    public async Task A_missing_socket_is_described_as_unreachable_with_a_reason()
    {
        using var backend = Backend("unix:///tmp/paddock-no-such-engine.sock");

        var info = await backend.DescribeAsync(CancellationToken.None);

        Assert.False(info.Reachable);
        Assert.Equal("docker", info.Kind);
        Assert.Contains("unix:///tmp/paddock-no-such-engine.sock", info.Reason);
        Assert.Null(info.Version);
    }

    [Fact]
    public async Task A_closed_tcp_port_is_described_as_unreachable()
    {
        using var backend = Backend("tcp://127.0.0.1:1");

        var info = await backend.DescribeAsync(CancellationToken.None);

        Assert.False(info.Reachable);
        Assert.False(string.IsNullOrWhiteSpace(info.Reason));
    }

    [Fact]
    public async Task Applying_against_an_unreachable_engine_fails_with_that_reason()
    {
        using var backend = Backend("unix:///tmp/paddock-no-such-engine.sock");
        var recorder = new EventRecorder();

        var result = await backend.ApplyAsync(EngineFixture.NewSpec(), recorder, CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.EngineUnreachable, result.Failure!.Kind);
        Assert.Contains(recorder.Events, e => e.Phase == BackendEventPhase.Failed && e.Level == BackendEventLevel.Error);
    }
}

[Collection(EngineCollection.Name)]
public sealed class ReachableEngineTests(EngineFixture engine)
{
    [Fact]
    public async Task A_running_engine_is_described_as_reachable_with_its_version()
    {
        using var backend = engine.NewBackend();

        var info = await backend.DescribeAsync(CancellationToken.None);

        Assert.True(info.Reachable, info.Reason);
        Assert.False(string.IsNullOrWhiteSpace(info.Version));
        Assert.Null(info.Reason);
    }

    [Fact]
    public async Task Describing_again_answers_in_milliseconds()
    {
        // Podman takes over a second to answer /version; the backend list and log requests describe the engine.
        using var backend = engine.NewBackend();
        var first = await backend.DescribeAsync(CancellationToken.None);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var again = await backend.DescribeAsync(CancellationToken.None);

        Assert.True(again.Reachable, again.Reason);
        Assert.Equal(first.Version, again.Version);
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(300), $"took {clock.Elapsed.TotalMilliseconds:0} ms");
    }
}
