using Microsoft.Extensions.Time.Testing;

namespace Paddock.Backends.Docker.Tests;

public sealed class EngineVersionTests
{
    private readonly FakeTimeProvider _clock = new();
    private int _reads;
    private string _answer = "4.3.1 (API 1.41)";

    private EngineVersion Version() => new(_ =>
    {
        Interlocked.Increment(ref _reads);
        return Task.FromResult(_answer);
    }, _clock, TimeSpan.FromSeconds(5));

    [Fact]
    public async Task The_version_is_read_once_and_then_answered_from_memory()
    {
        var version = Version();

        Assert.Equal("4.3.1 (API 1.41)", await version.GetAsync(CancellationToken.None));
        _clock.Advance(EngineVersion.RefreshAfter - TimeSpan.FromSeconds(1));
        Assert.Equal("4.3.1 (API 1.41)", await version.GetAsync(CancellationToken.None));

        Assert.Equal(1, _reads);
    }

    [Fact]
    public async Task A_stale_version_is_answered_while_the_new_one_is_read()
    {
        var version = Version();
        await version.GetAsync(CancellationToken.None);
        _answer = "5.0.0 (API 1.44)";
        _clock.Advance(EngineVersion.RefreshAfter);

        Assert.Equal("4.3.1 (API 1.41)", await version.GetAsync(CancellationToken.None));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (await version.GetAsync(CancellationToken.None) != "5.0.0 (API 1.44)" && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal("5.0.0 (API 1.44)", await version.GetAsync(CancellationToken.None));
        Assert.Equal(2, _reads);
    }

    [Fact]
    public async Task A_forgotten_version_is_read_again_at_the_next_ask()
    {
        var version = Version();
        await version.GetAsync(CancellationToken.None);
        _answer = "5.0.0 (API 1.44)";

        version.Forget();

        Assert.Equal("5.0.0 (API 1.44)", await version.GetAsync(CancellationToken.None));
        Assert.Equal(2, _reads);
    }
}
