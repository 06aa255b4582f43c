namespace Paddock.Domain.Registries;

/// <summary>The registry an image is pulled from, or a registry server as a user typed it, as one comparable host
/// (<c>host[:port]</c>, lower case). Docker Hub has several spellings and is what a reference without a registry
/// part means; all of them become <see cref="DockerHub"/>.</summary>
public static class RegistryHost
{
    public const string DockerHub = "docker.io";

    private static readonly HashSet<string> DockerHubAliases =
        new(["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"], StringComparer.Ordinal);

    /// <summary>The registry of <c>[registry[:port]/]repo[:tag][@digest]</c>. As in Docker, the first path part is a
    /// registry only when it has a dot or a port, or is <c>localhost</c>; otherwise the image is on Docker Hub.</summary>
    public static string OfImage(string image)
    {
        var slash = image.IndexOf('/');
        if (slash < 0) return DockerHub;
        var first = image[..slash];
        var isRegistry = first.Contains('.') || first.Contains(':') || first.Equals("localhost", StringComparison.OrdinalIgnoreCase);
        return isRegistry ? Normalize(first) : DockerHub;
    }

    /// <summary>A registry server as stored with credentials or listed by an admin (<c>https://host:port/v2/</c>,
    /// <c>host:port</c>, <c>HOST</c>) as the host it names.</summary>
    public static string Normalize(string server)
    {
        var host = server.Trim();
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) host = host[(scheme + 3)..];
        var slash = host.IndexOf('/');
        if (slash >= 0) host = host[..slash];
        host = host.ToLowerInvariant();
        if (host.EndsWith(":443", StringComparison.Ordinal)) host = host[..^4];
        return DockerHubAliases.Contains(host) ? DockerHub : host;
    }

    /// <summary>Whether credentials saved for <paramref name="server"/> may be sent when pulling <paramref name="image"/>.</summary>
    public static bool Serves(string server, string image) => Normalize(server) == OfImage(image);
}
