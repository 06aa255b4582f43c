using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Paddock.Backends.Docker.Tests;

/// <summary>A host that plays a registry just far enough to be sent credentials: it answers every request without an
/// <c>Authorization</c> header with a Basic challenge, records every header it is sent, and answers the rest with a
/// 404 whose text no user should ever see. A private Podman service may talk plain HTTP to it.</summary>
public sealed class CapturingRegistry : IAsyncLifetime
{
    /// <summary>Text only this host answers: a failure reason that quotes it leaks what a user-chosen host said.</summary>
    public const string RemoteText = "remote-says-zx81";

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _authorizations = [];
    private PodmanService? _engine;
    private Task? _accepting;

    public string Address => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
    public Uri Endpoint => _engine!.Endpoint;

    /// <summary>Every <c>Authorization</c> header value received so far.</summary>
    public IReadOnlyList<string> Authorizations
    {
        get { lock (_authorizations) return _authorizations.ToList(); }
    }

    public async Task InitializeAsync()
    {
        _listener.Start();
        _accepting = AcceptAsync();
        _engine = await PodmanService.StartAsync(insecureRegistry: Address);
        using var client = new global::Docker.DotNet.DockerClientBuilder().WithEndpoint(_engine.Endpoint).Build();
        await PodmanService.WaitUntilAnswersAsync(client);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient connection;
            try { connection = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(TcpClient connection)
    {
        using (connection)
        {
            try
            {
                var stream = connection.GetStream();
                var head = await ReadHeadAsync(stream);
                if (head is null || !head.Contains(" HTTP/1.", StringComparison.Ordinal)) return; // a TLS hello: not served
                var authorization = head.Split("\r\n").FirstOrDefault(line => line.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase));
                if (authorization is not null)
                    lock (_authorizations) _authorizations.Add(authorization["Authorization:".Length..].Trim());
                var body = $$"""{"errors":[{"code":"MANIFEST_UNKNOWN","message":"{{RemoteText}}"}]}""";
                var status = authorization is null ? "401 Unauthorized" : "404 Not Found";
                var answer = $"HTTP/1.1 {status}\r\nWWW-Authenticate: Basic realm=\"capture\"\r\nDocker-Distribution-Api-Version: registry/2.0\r\n" +
                    $"Content-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(answer));
            }
            catch (IOException) { }
        }
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream)
    {
        var buffer = new byte[16384];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length));
            if (read == 0) return null;
            length += read;
            var text = Encoding.Latin1.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal)) return text;
            if (length >= 4 && !char.IsAsciiLetterUpper(text[0])) return null;
        }
        return null;
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        if (_accepting is not null) await _accepting;
        if (_engine is not null) await _engine.DisposeAsync();
        _stop.Dispose();
    }
}
