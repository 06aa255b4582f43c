using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Paddock.Testing;

/// <summary>Makes a server that listens on loopback only (the test Postgres and Redis bind 127.0.0.1) reachable from
/// containers: a TCP relay on this machine's own address (the one its default route leaves by), which containers on
/// an engine's bridge network reach through their gateway, and this machine reaches too. A resource class registered
/// with <see cref="Host"/> and <see cref="Port"/> is then the same server for the workers that provision on it and for
/// the containers that use it. Each accepted connection gets its own connection to the target.</summary>
public sealed class HostRelay : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    public string Host { get; }
    public int Port { get; }

    private HostRelay(IPAddress address, int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(address, 0);
        _listener.Start();
        Host = address.ToString();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptAsync();
    }

    /// <summary>A relay to <c>127.0.0.1:<paramref name="targetPort"/></c>.</summary>
    public static HostRelay To(int targetPort) => new(OwnAddress(), targetPort);

    /// <summary>The IPv4 address of the interface that carries the default route (from <c>/proc/net/route</c>).</summary>
    public static IPAddress OwnAddress()
    {
        var defaultInterface = File.ReadLines("/proc/net/route").Skip(1)
            .Select(line => line.Split('\t', StringSplitOptions.TrimEntries))
            .FirstOrDefault(fields => fields.Length > 2 && fields[1] == "00000000")?[0]
            ?? throw new InvalidOperationException("This machine has no default route: no address containers could reach it at.");
        var address = NetworkInterface.GetAllNetworkInterfaces().Single(n => n.Name == defaultInterface).GetIPProperties().UnicastAddresses
            .Select(a => a.Address).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork);
        return address ?? throw new InvalidOperationException($"Interface {defaultInterface} has no IPv4 address.");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port} → 127.0.0.1:{_targetPort}");

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var target = new TcpClient())
        {
            try
            {
                await target.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
                var fromClient = client.GetStream().CopyToAsync(target.GetStream(), _stop.Token);
                var fromTarget = target.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                // Either side closing ends the pair: the using blocks close the other.
                await Task.WhenAny(fromClient, fromTarget);
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
