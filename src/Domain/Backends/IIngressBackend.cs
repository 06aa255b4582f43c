using Paddock.Domain.Names;
using Paddock.Domain.Resources;

namespace Paddock.Domain.Backends;

/// <summary>The route seam of a backend that serves host names itself (Kubernetes: an Ingress per route). Backends
/// without it are fronted by Paddock's edge, which serves the <c>route</c> resources from the database. Calls are
/// idempotent on <see cref="IngressRoute.Uid"/>; expected failures come back as a reason, not an exception.</summary>
public interface IIngressBackend
{
    /// <summary>The domain <c>dns</c> resources of environments on this backend get their host names under
    /// (<c>.apps.example.com</c>, with its leading dot); null when none is configured.</summary>
    string? DnsSuffix { get; }

    /// <summary>Makes (or brings up to date) the rule sending <see cref="IngressRoute.Host"/> and
    /// <see cref="IngressRoute.Path"/> (a prefix) to the environment's workload. Null when done, else why not.</summary>
    Task<string?> EnsureRouteAsync(IngressRoute route, CancellationToken ct);

    Task<ResourceObservation> ObserveRouteAsync(IngressRoute route, CancellationToken ct);

    /// <summary>Removes the rule; one already gone is success. Null when done, else why not.</summary>
    Task<string?> RemoveRouteAsync(IngressRoute route, CancellationToken ct);
}

/// <summary>One <c>route</c> resource of an environment on a backend: the environment (its name in the backend, and
/// its app: the workload the rule points at), the resource's stable uid and what it routes.</summary>
public sealed record IngressRoute(Guid EnvironmentId, ResourceName EnvironmentName, AppName App, string Uid, string Host, string Path);

/// <summary>How containers of one environment reach another environment's workload on the same backend
/// (the <c>service-port</c> resource type): Kubernetes by the Service's cluster DNS name, the Docker engine by the
/// workload's alias on the other environment's network, which the consumer's containers then join.</summary>
public interface IWorkloadAddressBackend
{
    /// <summary>The host name a container of another environment on this backend connects to.</summary>
    string HostOf(ResourceName environment, AppName app);

    /// <summary>What a consumer must be let into to reach <paramref name="environment"/>'s workload: the engine network
    /// its containers join (Docker), the namespace its own namespace is labelled with and the target's NetworkPolicy
    /// admits (Kubernetes); null when the backend needs nothing.</summary>
    string? NetworkOf(ResourceName environment);
}
