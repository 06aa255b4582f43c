using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Paddock.E2E.Tests.Infrastructure;

/// <summary>Forwards TCP connections from the host's own address (reachable from containers, unlike loopback) to a
/// loopback port: the test's Postgres listens on 127.0.0.1 only, and a container reaches the host only by one of its
/// other addresses.</summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public TcpForwarder(int targetPort)
    {
        Address = HostAddress();
        _listener = new TcpListener(Address, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync(targetPort);
    }

    public IPAddress Address { get; }
    public int Port { get; }

    /// <summary>The first IPv4 address of an interface that is up and not loopback (eth0's here).</summary>
    public static IPAddress HostAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
        ?? throw new InvalidOperationException("The host has no IPv4 address other than loopback.");

    private async Task AcceptAsync(int targetPort)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = ForwardAsync(client, targetPort);
        }
    }

    private async Task ForwardAsync(TcpClient client, int targetPort)
    {
        using (client)
        using (var target = new TcpClient())
        {
            try
            {
                await target.ConnectAsync(IPAddress.Loopback, targetPort, _stop.Token);
                var (from, to) = (client.GetStream(), target.GetStream());
                await Task.WhenAny(from.CopyToAsync(to, _stop.Token), to.CopyToAsync(from, _stop.Token));
            }
            catch (Exception) { } // a closed connection on either side ends the pair
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; } catch (Exception) { }
        _stop.Dispose();
    }
}
