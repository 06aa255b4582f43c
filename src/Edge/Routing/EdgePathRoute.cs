namespace Paddock.Edge.Routing;

/// <summary>A <c>route</c> resource as the edge serves it: requests for <see cref="Host"/> whose path falls under
/// <see cref="Path"/> go to the environment's instances (the cluster of its <c>edge_routes</c> row).</summary>
public sealed record EdgePathRoute(Guid EnvironmentId, string Host, string Path);
