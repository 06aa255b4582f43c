namespace Paddock.Domain.Edge;

/// <summary>A host name and path prefix claimed by one <c>route</c> resource of an environment (its <see cref="Uid"/>).
/// One host and path belong to one environment at a time (a unique index): a second environment claiming them is
/// refused. On backends fronted by Paddock's edge this row is also what the edge serves: requests for
/// <see cref="Host"/> whose path starts with <see cref="Path"/> (longest prefix first) go to the environment's instances;
/// on a backend with its own Ingress the row only holds the claim.</summary>
public sealed class HostRoute
{
    public string Uid { get; private set; } = "";
    public Guid EnvironmentId { get; private set; }
    public string Host { get; private set; } = "";
    /// <summary>A path prefix: <c>/</c>, or <c>/segment[/segment…]</c> without a trailing slash.</summary>
    public string Path { get; private set; } = "/";
    public DateTime CreatedAt { get; private set; }

    private HostRoute() { }

    public HostRoute(string uid, Guid environmentId, string host, string path, DateTime at)
    {
        Uid = uid;
        EnvironmentId = environmentId;
        Host = host;
        Path = path;
        CreatedAt = at;
    }

    /// <summary>Whether a request path falls under <paramref name="prefix"/>, by whole segments (as an Ingress
    /// <c>Prefix</c> path matches): <c>/api</c> takes <c>/api</c> and <c>/api/x</c>, not <c>/apix</c>.</summary>
    public static bool Matches(string prefix, string requestPath) =>
        prefix == "/"
        || string.Equals(requestPath, prefix, StringComparison.Ordinal)
        || (requestPath.StartsWith(prefix, StringComparison.Ordinal) && requestPath.Length > prefix.Length && requestPath[prefix.Length] == '/');
}
