using System.Text.Json;

namespace Paddock.Edge.Routing;

/// <summary>What a <c>NOTIFY paddock_edge</c> says: which environment's route changed and, when the notice carries it,
/// the route itself. A deploy's switch sends the row it wrote as JSON (<c>environmentId</c>, <c>host</c>,
/// <c>deploymentId</c>, <c>upstreams</c>, <c>version</c>: built by the workers' <c>EdgeSwitch</c>), so the edge can serve
/// it without reading the table first; a bare environment id (a removal, a route too big for a notice: Postgres
/// refuses payloads of 8000 bytes and more; another writer) means "read this row".</summary>
public sealed record EdgeNotice(Guid EnvironmentId, EdgeRouteRow? Route)
{
    /// <summary>A notice from its payload; null when the payload is neither form (the caller reloads everything).</summary>
    public static EdgeNotice? Parse(string payload)
    {
        if (Guid.TryParse(payload, out var id)) return new EdgeNotice(id, null);
        try
        {
            var route = JsonSerializer.Deserialize<Payload>(payload, Json);
            if (route is null || route.EnvironmentId == Guid.Empty || route.Host is null || route.Upstreams is null) return null;
            // Not yet acknowledged: the edge writes applied_version once it serves this version.
            var row = new EdgeRouteRow(route.EnvironmentId, route.Host, route.DeploymentId, route.Upstreams, route.Version, AppliedVersion: 0);
            return new EdgeNotice(route.EnvironmentId, row);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Payload(Guid EnvironmentId, string? Host, Guid DeploymentId, string[]? Upstreams, long Version);
}
