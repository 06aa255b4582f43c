using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;

namespace Paddock.Backends.Kubernetes;

/// <summary>The cluster serves the environment's traffic itself: its Ingress (with a host pattern), or only the Service
/// inside the cluster without one. Paddock's edge proxy does not front Kubernetes environments, so routing has nothing
/// to switch: the rollout already proved the new pods ready behind the Service.</summary>
public sealed partial class KubernetesBackend
{
    public async Task<RouteResult> RouteAsync(RouteRequest request, CancellationToken ct)
    {
        if (request.GoesLive && await request.StopReason(ct) is { } stop) return RouteResult.Stopped(stop);
        if (request.BackendUrl is { } url)
        {
            await request.Note(RoutePhases.Switched, EventLevel.Info, $"Backend {Name} serves revision {request.Revision} at {url}");
            return RouteResult.Served(url.ToString());
        }
        await request.Note(RoutePhases.Switched, EventLevel.Warning,
            $"Revision {request.Revision} has no public URL: backend {Name} has no ingress host pattern. "
            + $"It answers only inside the backend, at {string.Join(", ", request.Endpoints.Select(e => e.HttpUri()).Distinct())}");
        return RouteResult.Served(null);
    }

    /// <summary>The environment's teardown deletes its namespace, Ingress and Service with it.</summary>
    public Task UnrouteAsync(Guid environmentId, CancellationToken ct) => Task.CompletedTask;
}
