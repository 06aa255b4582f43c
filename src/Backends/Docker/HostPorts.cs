using System.Net;
using System.Net.Sockets;

namespace Paddock.Backends.Docker;

/// <summary>The host ports instances publish on. An engine on this machine binds this machine's ports, so a port
/// that is free here is one it can take: choosing it here tells the instance's endpoint from the create request on,
/// where an engine-chosen port has to be read back from the engine after the start (a round trip on the way to the
/// user's new version). A remote engine chooses its own.</summary>
internal static class HostPorts
{
    /// <summary>Tries with a freshly chosen port when the one chosen before was taken by the time the engine bound it.</summary>
    public const int Attempts = 3;

    /// <summary>A port chooser for the engine at <paramref name="options"/>' endpoint; null when the engine is remote.</summary>
    public static Func<int>? ChooserFor(DockerBackendOptions options) =>
        options.Endpoint.Scheme is "unix" or "npipe" || options.Endpoint.IsLoopback ? () => Free(options.PublishAddress) : null;

    /// <summary>A port nothing listens on at <paramref name="publishAddress"/> now (the kernel's choice for a bind to port 0).</summary>
    public static int Free(string publishAddress)
    {
        var address = IPAddress.TryParse(publishAddress, out var parsed) ? parsed : IPAddress.Loopback;
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Where Paddock reaches a port published at <paramref name="publishAddress"/>: all interfaces are reached on loopback.</summary>
    public static string HostFor(string? publishAddress) =>
        string.IsNullOrEmpty(publishAddress) || publishAddress is "0.0.0.0" or "::" ? "127.0.0.1" : publishAddress;
}
