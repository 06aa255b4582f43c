using Paddock.Domain.Edge;

namespace Paddock.Edge.Routing;

/// <summary>One <c>edge_routes</c> row as the edge reads it.</summary>
public sealed record EdgeRouteRow(Guid EnvironmentId, string Host, Guid DeploymentId, string[] Upstreams, long Version, long AppliedVersion)
{
    /// <summary>A route a notice carried: the edge writes applied_version once it serves this version.</summary>
    public static EdgeRouteRow Unacknowledged(NoticedRoute route) =>
        new(route.EnvironmentId, route.Host, route.DeploymentId, route.Upstreams, route.Version, AppliedVersion: 0);

    /// <summary>Why the edge cannot serve this row, or null. One bad row must not stop every other route from
    /// switching (YARP refuses a whole configuration when one route in it is invalid), so bad rows are left out.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(Host) || Uri.CheckHostName(Host) == UriHostNameType.Unknown)
            return $"host '{Host}' is not a host name";
        if (Upstreams.Length == 0) return "no upstreams";
        foreach (var upstream in Upstreams)
        {
            if (!Uri.TryCreate(upstream, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                return $"upstream '{upstream}' is not an http(s) URL";
        }
        return null;
    }
}
