using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;
using Paddock.Domain.Edge;

namespace Paddock.Workers.Rollout;

/// <summary>Routes an environment through Paddock's edge proxy, for every backend that does not carry its traffic
/// itself (a Docker engine cannot move a published port between containers): point the environment's edge route at
/// the instances, wait for the edge's acknowledgement, then probe the stable URL through the edge. A deployment going
/// live that fails either puts back the route that served before.</summary>
public sealed class EdgeRouter(EdgeSwitch edge) : ITrafficRouter
{
    public async Task<RouteResult> RouteAsync(RouteRequest request, CancellationToken ct)
    {
        var environmentId = request.EnvironmentId;
        var previous = await edge.CurrentAsync(environmentId, ct);
        // A repair keeps the host its route has; a deployment going live takes the one the settings give now.
        var host = !request.GoesLive && previous is not null ? previous.Host : edge.Settings.HostFor(request.ResourceName);
        var url = edge.Settings.UrlFor(host);
        var upstreams = request.Endpoints.Select(e => $"http://{e}").ToList();

        if (!PointsAt(previous, host, request.DeploymentId, upstreams))
        {
            // The switch of a deployment going live refuses it if it must stop meanwhile, in the same statement.
            var version = request.GoesLive
                ? await edge.PointUnlessStoppedAsync(environmentId, host, request.DeploymentId, upstreams, ct)
                : await edge.PointAsync(environmentId, host, request.DeploymentId, upstreams, ct);
            if (version is null) return RouteResult.Stopped(await request.StopReason(ct));
            if (!await edge.WaitForAckAsync(environmentId, version.Value, ct))
            {
                await PutBackAsync(request, previous, ct);
                return RouteResult.Failed($"The edge did not take the new route within {edge.Settings.AckTimeoutSeconds}s.");
            }
            await request.Note(RoutePhases.Switched, EventLevel.Info,
                $"Traffic for {url} now goes to revision {request.Revision} ({string.Join(", ", upstreams)})");
        }

        if (await edge.ProbeThroughEdgeAsync(host, request.HealthCheck, ct) is { } unanswered)
        {
            await PutBackAsync(request, previous, ct);
            return RouteResult.Failed($"The environment did not answer through the edge: {unanswered}");
        }
        await request.Note(RoutePhases.Probe, EventLevel.Info, $"{url} answers through the edge");
        return RouteResult.Served(url);
    }

    public Task UnrouteAsync(Guid environmentId, CancellationToken ct) => edge.RemoveAsync(environmentId, ct);

    private static bool PointsAt(EdgeRoute? route, string host, Guid deploymentId, IReadOnlyList<string> upstreams) =>
        route is not null && route.Host == host && route.DeploymentId == deploymentId
        && route.Upstreams.Order(StringComparer.Ordinal).SequenceEqual(upstreams.Order(StringComparer.Ordinal));

    /// <summary>A deployment that did not go live leaves the environment as it was; a repair's route stays on the
    /// deployment that serves (what it pointed at before is gone or going).</summary>
    private Task PutBackAsync(RouteRequest request, EdgeRoute? previous, CancellationToken ct) =>
        request.GoesLive ? edge.RestoreAsync(request.EnvironmentId, previous, ct) : Task.CompletedTask;
}
