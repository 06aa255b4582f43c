using System.Net;
using System.Net.Sockets;

namespace Paddock.Testing;

public static class LoopbackPort
{
    /// <summary>A loopback port that was free a moment ago, for a process that must be told its port up front.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
