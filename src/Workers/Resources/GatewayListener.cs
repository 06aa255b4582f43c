using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Paddock.Workers.Resources;

/// <summary>One TCP listener on an engine network's gateway that relays each connection to a server on the host's
/// loopback (<see cref="ContainerHostRelay"/>). It binds with <c>IP_FREEBIND</c>, because a network's bridge, and so
/// its gateway address, only exists on the host while a container is attached, and with <c>SO_REUSEPORT</c>, so that
/// every worker process on the host can hold the same listener (the kernel spreads connections among them).</summary>
internal sealed class GatewayListener : IAsyncDisposable
{
    // Linux's values (include/uapi/linux/in.h and asm-generic/socket.h).
    private const int SolIp = 0, IpFreebind = 15, SolSocket = 1, SoReuseport = 15;

    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly ILogger _logger;

    public IPEndPoint Address { get; }
    public IPEndPoint Target { get; }

    private GatewayListener(Socket socket, IPEndPoint address, IPEndPoint target, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        Address = address;
        Target = target;
        _accepting = AcceptAsync();
    }

    public static GatewayListener Open(IPEndPoint address, IPEndPoint target, ILogger logger)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            ReadOnlySpan<byte> on = BitConverter.GetBytes(1);
            socket.SetRawSocketOption(SolIp, IpFreebind, on);
            socket.SetRawSocketOption(SolSocket, SoReuseport, on);
            socket.Bind(address);
            socket.Listen(128);
            return new GatewayListener(socket, address, target, logger);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _socket.AcceptAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException e)
            {
                _logger.LogWarning("The relay on {Address} stopped accepting: {Reason}", Address, e.Message);
                return;
            }
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        using (var target = new Socket(Target.AddressFamily, SocketType.Stream, ProtocolType.Tcp))
        {
            try
            {
                await target.ConnectAsync(Target, _stop.Token);
                await using var fromClient = new NetworkStream(client, ownsSocket: false);
                await using var toTarget = new NetworkStream(target, ownsSocket: false);
                // Either side closing ends the pair: the using blocks close the other.
                await Task.WhenAny(fromClient.CopyToAsync(toTarget, _stop.Token), toTarget.CopyToAsync(fromClient, _stop.Token));
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                // The server refused or a side reset: the client sees its connection closed, as it would without the relay.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _accepting;
        _stop.Dispose();
    }
}
