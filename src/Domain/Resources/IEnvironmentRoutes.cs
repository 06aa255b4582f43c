namespace Paddock.Domain.Resources;

/// <summary>Where the <c>dns</c> and <c>route</c> provisioners find an environment's names and put its routes, so they
/// need no knowledge of which backend it runs on: the edge (routes kept in the database for it) or a backend with its
/// own Ingress (<see cref="Backends.IIngressBackend"/>). Expected failures come back as reasons.</summary>
public interface IEnvironmentRoutes
{
    /// <summary>The environment's app and environment names and the domain its <c>dns</c> names go under.</summary>
    Task<RoutePlace> FindAsync(Guid environmentId, CancellationToken ct);

    /// <summary>Whether another environment already uses <paramref name="host"/>: as its URL, a route's host or a
    /// <c>dns</c> resource's name.</summary>
    Task<bool> HostTakenAsync(string host, Guid environmentId, CancellationToken ct);

    /// <summary>Claims the route's host and path for the environment and serves them (the edge, or the backend's
    /// Ingress). Null when done; else why not (another environment holds them, the backend refused).</summary>
    Task<string?> ClaimAsync(RouteClaim claim, CancellationToken ct);

    /// <summary>Whether the route is still claimed and served.</summary>
    Task<ResourceObservation> ObserveAsync(RouteClaim claim, CancellationToken ct);

    /// <summary>Stops serving the route and gives its host and path up; one already gone is success.</summary>
    Task<string?> ReleaseAsync(Guid environmentId, string uid, CancellationToken ct);
}

/// <summary>One route resource: its environment, uid, host and path prefix.</summary>
public sealed record RouteClaim(Guid EnvironmentId, string Uid, string Host, string Path);

/// <summary>What <see cref="IEnvironmentRoutes.FindAsync"/> found: the names and the domain, or why not.</summary>
public sealed record RoutePlace(string App, string Environment, string? HostSuffix, string? Failure)
{
    public static RoutePlace Missing(string reason) => new("", "", null, reason);
}

/// <summary>Where the <c>service-port</c> provisioner finds another workload's address.</summary>
public interface IWorkloadAddresses
{
    /// <summary>The address a container of <paramref name="environmentId"/> connects to, to reach the workload
    /// <paramref name="target"/> (an app of the same team, in the environment of the same name; or <c>app/env</c>)
    /// on its port <paramref name="port"/> (a number; null: the one it listens on); or why it cannot.</summary>
    Task<WorkloadAddress> FindAsync(Guid environmentId, string target, int? port, CancellationToken ct);
}

/// <summary>A workload's address as the consumer reaches it; <see cref="Network"/> is the engine network the
/// consumer's containers join for it (null when none is needed).</summary>
public sealed record WorkloadAddress(string? Hostname, int Port, string? Network, string? Failure)
{
    public static WorkloadAddress Unreachable(string reason) => new(null, 0, null, reason);
}
