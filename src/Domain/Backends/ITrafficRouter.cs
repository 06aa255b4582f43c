using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Domain.Names;

namespace Paddock.Domain.Backends;

/// <summary>How an environment's stable URL reaches the instances of the deployment that serves it: the rollout's
/// "route traffic" step. Chosen per backend: a backend whose runtime carries the traffic itself (a Kubernetes Service
/// and Ingress) implements this interface; every other backend is fronted by Paddock's edge proxy (the workers'
/// <c>EdgeRouter</c>). The generic path only ever talks to this seam, never to a backend kind.</summary>
public interface ITrafficRouter
{
    /// <summary>Sends the environment's traffic to <see cref="RouteRequest.Endpoints"/> and proves the stable URL answers.
    /// Expected failures are returned, not thrown.</summary>
    Task<RouteResult> RouteAsync(RouteRequest request, CancellationToken ct);

    /// <summary>Stops routing the environment (its teardown). What is already gone is fine; joins the caller's
    /// transaction when the router keeps its routes in Paddock's database.</summary>
    Task UnrouteAsync(Guid environmentId, CancellationToken ct);
}

/// <summary>Says what a routing step did, for the deployment's timeline (<see cref="RoutePhases"/>).</summary>
public delegate Task RouteNote(string phase, EventLevel level, string message);

public static class RoutePhases
{
    public const string Switched = "switched";
    public const string Probe = "probe";
}

/// <summary>What to route: the deployment, the endpoints of its healthy instances (and the URL its backend serves it
/// at, if any), and the health check the stable URL must pass.</summary>
public sealed record RouteRequest
{
    public required Guid EnvironmentId { get; init; }
    public required ResourceName ResourceName { get; init; }
    public required Guid DeploymentId { get; init; }
    public required int Revision { get; init; }
    public required IReadOnlyList<HostEndpoint> Endpoints { get; init; }
    public required HealthCheck HealthCheck { get; init; }
    /// <summary><see cref="ApplyResult.PublicUrl"/> of the apply, when the backend serves a URL of its own.</summary>
    public Uri? BackendUrl { get; init; }

    /// <summary>True for a deployment that is still to go live: the switch is refused when it must stop
    /// (<see cref="StopReason"/>), and a failed switch puts back what served before. False for a repair of the
    /// deployment that serves already: its route is only brought up to date.</summary>
    public bool GoesLive { get; init; }

    /// <summary>Why the deployment must stop instead of going live, or null to go ahead; asked when <see cref="GoesLive"/>.</summary>
    public Func<CancellationToken, Task<string?>> StopReason { get; init; } = _ => Task.FromResult<string?>(null);

    public RouteNote Note { get; init; } = (_, _, _) => Task.CompletedTask;
}

public enum RouteOutcome
{
    /// <summary>The stable URL serves the deployment (<see cref="RouteResult.Url"/>, null when it has no public URL).</summary>
    Served = 0,
    /// <summary>The deployment was asked to stop: nothing was switched (<see cref="RouteResult.Reason"/> may be null).</summary>
    Stopped = 1,
    /// <summary>The switch or the probe through the stable URL failed (<see cref="RouteResult.Reason"/>).</summary>
    Failed = 2,
}

public sealed record RouteResult(RouteOutcome Outcome, string? Url, string? Reason)
{
    public static RouteResult Served(string? url) => new(RouteOutcome.Served, url, null);
    public static RouteResult Stopped(string? reason) => new(RouteOutcome.Stopped, null, reason);
    public static RouteResult Failed(string reason) => new(RouteOutcome.Failed, null, reason);
}
