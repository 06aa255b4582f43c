namespace Paddock.Testing.FakeApiServer;

/// <summary>Timings and identity of the fake cluster; short by default so a test suite runs in seconds.</summary>
public sealed class FakeClusterOptions
{
    /// <summary>The bearer token requests must carry; anything else is answered 401.</summary>
    public string Token { get; set; } = "fake-token-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>How long a Pod stays Pending before the fake "kubelet" gives it its image's behaviour.</summary>
    public TimeSpan PodStartDelay { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>How long a deleted namespace stays Terminating before it and its contents vanish.</summary>
    public TimeSpan NamespaceTerminationDelay { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>How often the controller looks again when nothing woke it.</summary>
    public TimeSpan ControllerTick { get; set; } = TimeSpan.FromMilliseconds(50);

    public string GitVersion { get; set; } = "v1.31.0-fake";
}
