using System.Net;
using Paddock.Domain.Resources;

namespace Paddock.Provisioners;

/// <summary>
/// A class's optional <c>containerHost</c> value: the address the app's containers reach the server at, when it is
/// not the <c>host</c> Paddock's workers provision through. <c>./run.sh</c> runs its Postgres and redis-server on
/// <c>127.0.0.1</c> only, which containers on the engine's bridge networks cannot reach, and registers them with
/// <c>containerHost: host.containers.internal</c> (Podman's name for the network's gateway): the workers then relay
/// each network's gateway to the loopback server (<c>Paddock.Workers.Resources.ContainerHostRelay</c>). The outputs
/// <c>host</c> and <c>url</c> carry the container host, since containers are who use them.
/// </summary>
public static class ContainerHosts
{
    public const string Setting = "containerHost";

    /// <summary>Why the value is not a host name or address; null when it is (or is not set).</summary>
    public static string? Validate(ResourceClassSettings settings)
    {
        if (!settings.Values.TryGetValue(Setting, out var value)) return null;
        var host = value.Trim();
        return host.Length > 0 && (Uri.CheckHostName(host) != UriHostNameType.Unknown || IPAddress.TryParse(host, out _))
            ? null
            : "The container host is a host name or an IP address (no scheme, no port), e.g. host.containers.internal.";
    }

    public static string? Of(ResourceClassSettings settings) =>
        settings.Values.TryGetValue(Setting, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
