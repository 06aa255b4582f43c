namespace Paddock.Edge.Routing;

/// <summary>One <c>edge_routes</c> row as the edge reads it.</summary>
public sealed record EdgeRouteRow(Guid EnvironmentId, string Host, Guid DeploymentId, string[] Upstreams, long Version, long AppliedVersion)
{
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
