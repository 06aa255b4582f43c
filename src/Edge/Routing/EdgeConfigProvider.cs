using Yarp.ReverseProxy.Configuration;

namespace Paddock.Edge.Routing;

/// <summary>Feeds YARP the current route table and tells the edge when YARP actually serves a new one, so an
/// acknowledgement written to the database means "requests now go to the new upstreams".</summary>
internal sealed class EdgeConfigProvider : IProxyConfigProvider, IConfigChangeListener
{
    private EdgeProxyConfig _current = new(EdgeRouteTable.Empty, 0);
    private readonly Lock _swap = new();

    public IProxyConfig GetConfig() => Volatile.Read(ref _current);

    public EdgeRouteTable Table => Volatile.Read(ref _current).Table;

    /// <summary>The table of the configuration YARP serves now.</summary>
    public EdgeRouteTable AppliedTable => Volatile.Read(ref _applied).Table;

    private EdgeProxyConfig _applied = new(EdgeRouteTable.Empty, 0);

    /// <summary>Swaps in <paramref name="table"/> and waits until YARP has applied it (or a newer one).</summary>
    public async Task ApplyAsync(EdgeRouteTable table, TimeSpan timeout, CancellationToken ct)
    {
        EdgeProxyConfig next;
        EdgeProxyConfig previous;
        lock (_swap)
        {
            previous = _current;
            next = new EdgeProxyConfig(table, previous.Generation + 1);
            Volatile.Write(ref _current, next);
        }
        previous.MarkReplaced();
        await next.Applied.WaitAsync(timeout, ct);
    }

    public void ConfigurationApplied(IReadOnlyList<IProxyConfig> proxyConfigs)
    {
        foreach (var config in proxyConfigs.OfType<EdgeProxyConfig>())
        {
            Volatile.Write(ref _applied, config);
            config.MarkApplied();
        }
    }

    public void ConfigurationApplyingFailed(IReadOnlyList<IProxyConfig> proxyConfigs, Exception exception)
    {
        foreach (var config in proxyConfigs.OfType<EdgeProxyConfig>()) config.MarkFailed(exception);
    }

    public void ConfigurationLoaded(IReadOnlyList<IProxyConfig> proxyConfigs) { }

    public void ConfigurationLoadingFailed(IProxyConfigProvider configProvider, Exception exception) { }
}
