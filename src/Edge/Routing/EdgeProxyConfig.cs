using Microsoft.Extensions.Primitives;
using Yarp.ReverseProxy.Configuration;

namespace Paddock.Edge.Routing;

/// <summary>One generation of the edge's YARP configuration. Its change token fires when a newer generation
/// replaces it; <see cref="Applied"/> completes once YARP serves it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The change token goes to YARP, which "
    + "may read it after the swap; a CancellationTokenSource with no timer or wait handle holds nothing to release.")]
internal sealed class EdgeProxyConfig(EdgeRouteTable table, long generation) : IProxyConfig
{
    private readonly CancellationTokenSource _replaced = new();
    private readonly TaskCompletionSource _applied = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public EdgeRouteTable Table { get; } = table;
    public long Generation { get; } = generation;
    public IReadOnlyList<RouteConfig> Routes { get; } = table.Routes;
    public IReadOnlyList<ClusterConfig> Clusters { get; } = table.Clusters;
    public IChangeToken ChangeToken => new CancellationChangeToken(_replaced.Token);

    public Task Applied => _applied.Task;

    internal void MarkReplaced() => _replaced.Cancel();
    internal void MarkApplied() => _applied.TrySetResult();
    internal void MarkFailed(Exception e) => _applied.TrySetException(e);
}
