using System.Text;
using System.Text.Json;

namespace Paddock.Domain.Edge;

/// <summary>The one contract between the workers and the edge proxy for "an environment's route changed": the channel
/// both use (<see cref="Channel"/>) and the payload, written by <see cref="ToPayload"/> and read by <see cref="Parse"/>,
/// this same type on both sides. A notice carries the route the workers wrote (<see cref="Route"/>), so the edge serves
/// it without reading the table first; or only the environment id, meaning "read this row": a removal, or a route too
/// big for a notice (Postgres refuses payloads of 8000 bytes and more).</summary>
public sealed record EdgeRouteNotice(Guid EnvironmentId, NoticedRoute? Route)
{
    public const string Channel = "paddock_edge";

    /// <summary>A carried route whose JSON is this long or longer goes as its environment id instead.</summary>
    public const int MaxPayloadBytes = 7900;

    public static EdgeRouteNotice Carrying(NoticedRoute route) => new(route.EnvironmentId, route);

    public static EdgeRouteNotice ReadRow(Guid environmentId) => new(environmentId, null);

    public string ToPayload()
    {
        if (Route is null) return EnvironmentId.ToString();
        var json = JsonSerializer.Serialize(Route, Json);
        return Encoding.UTF8.GetByteCount(json) < MaxPayloadBytes ? json : EnvironmentId.ToString();
    }

    /// <summary>A notice from its payload; null when the payload is neither form (the listener then reloads everything).</summary>
    public static EdgeRouteNotice? Parse(string payload)
    {
        if (Guid.TryParse(payload, out var id)) return ReadRow(id);
        try
        {
            var route = JsonSerializer.Deserialize<NoticedRoute>(payload, Json);
            // Deserialization leaves what the payload lacks null or empty, whatever the declared types say.
            if (route is null || route.EnvironmentId == Guid.Empty || route.Host is null || route.Upstreams is null) return null;
            return Carrying(route);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}

/// <summary>A route as a notice carries it: the <c>edge_routes</c> row the workers just wrote, not yet acknowledged.</summary>
public sealed record NoticedRoute(Guid EnvironmentId, string Host, Guid DeploymentId, string[] Upstreams, long Version);
