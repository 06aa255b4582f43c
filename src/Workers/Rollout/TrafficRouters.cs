using Paddock.Domain.Backends;
using Paddock.Persistence;

namespace Paddock.Workers.Rollout;

/// <summary>Picks the traffic seam of a backend: a backend that carries its environments' traffic itself implements
/// <see cref="ITrafficRouter"/> (Kubernetes: its Service and Ingress); every other one is fronted by Paddock's edge.</summary>
public sealed class TrafficRouters(EdgeSwitch edge)
{
    /// <param name="backend">Null for an environment whose backend is no longer configured: its edge route, if any, still goes.</param>
    /// <param name="context">The database context the edge's route writes go through (the caller's transaction, or a
    /// connection of their own when the caller's is busy).</param>
    public ITrafficRouter For(IRuntimeBackend? backend, PaddockDbContext context) =>
        backend as ITrafficRouter ?? new EdgeRouter(edge.On(context));
}
