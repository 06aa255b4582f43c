using System.Net;
using System.Net.Sockets;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

/// <summary>The probe on its own, against listeners in this process.</summary>
public sealed class HealthProbeTests : IDisposable
{
    private readonly HealthProbe _probe = new(TimeProvider.System);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public HealthProbeTests() => _listener.Start();

    private HostEndpoint Endpoint => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port);

    /// <summary>Answers every connection with <paramref name="status"/> (a minimal HTTP/1.1 server).</summary>
    private void AnswerWith(int status) => _ = Task.Run(async () =>
    {
        while (true)
        {
            using var socket = await _listener.AcceptSocketAsync();
            var buffer = new byte[4096];
            await socket.ReceiveAsync(buffer);
            await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(
                $"HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
            socket.Shutdown(SocketShutdown.Both);
        }
    });

    [Theory]
    [InlineData(200, true)]
    [InlineData(302, true)]
    [InlineData(404, false)]
    [InlineData(503, false)]
    public async Task An_http_probe_passes_on_2xx_and_3xx_only(int status, bool passes)
    {
        AnswerWith(status);

        var (passed, detail) = await _probe.ProbeOnceAsync(Endpoint, new HealthCheck(HealthCheckKind.Http, "/ready"), CancellationToken.None);

        Assert.Equal(passes, passed);
        Assert.Contains(status.ToString(), detail);
    }

    [Fact]
    public async Task A_tcp_probe_passes_when_the_port_accepts_and_fails_when_closed()
    {
        var check = new HealthCheck(HealthCheckKind.Tcp, null);
        var open = await _probe.ProbeOnceAsync(Endpoint, check, CancellationToken.None);
        var endpoint = Endpoint;
        _listener.Stop();

        var closed = await _probe.ProbeOnceAsync(endpoint, check, CancellationToken.None);

        Assert.True(open.Passed);
        Assert.False(closed.Passed);
    }

    [Fact]
    public async Task An_http_probe_that_gets_no_answer_fails_after_the_interval()
    {
        // Accepts connections (the listen backlog does) but never answers.
        var started = DateTime.UtcNow;

        var (passed, detail) = await _probe.ProbeOnceAsync(Endpoint, new HealthCheck(HealthCheckKind.Http, "/", IntervalSeconds: 1), CancellationToken.None);

        Assert.False(passed);
        Assert.Contains("did not answer within 1s", detail);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Waiting_stops_when_the_liveness_check_gives_a_reason_after_the_first_fast_retries()
    {
        _listener.Stop();
        var started = DateTime.UtcNow;

        var outcome = await _probe.WaitUntilHealthyAsync(Endpoint, new HealthCheck(HealthCheckKind.Tcp, null, 1, 30),
            _ => Task.FromResult<string?>("exited with code 1"), CancellationToken.None);

        Assert.Equal(ProbeVerdict.Abandoned, outcome.Verdict);
        Assert.Equal("exited with code 1", outcome.Detail);
        // A container that begins to listen a few milliseconds after its start is noticed by a retry, not after an
        // engine call; the liveness check still ends the wait long before the 30 s timeout.
        Assert.True(outcome.Attempts > 5, $"{outcome.Attempts} attempts before the liveness check");
        Assert.InRange(DateTime.UtcNow - started, HealthProbe.AbandonCheckSpacing, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Waiting_times_out_with_the_last_failure()
    {
        AnswerWith(500);

        var outcome = await _probe.WaitUntilHealthyAsync(Endpoint, new HealthCheck(HealthCheckKind.Http, "/", 1, 1),
            _ => Task.FromResult<string?>(null), CancellationToken.None);

        Assert.Equal(ProbeVerdict.TimedOut, outcome.Verdict);
        Assert.Contains("500", outcome.Detail);
        Assert.True(outcome.Attempts > 1);
    }

    [Fact]
    public async Task An_app_that_starts_listening_late_is_noticed_within_a_few_retries()
    {
        // The port is free until the "app" starts 700 ms later; a doubling back-off would only look again at ~1.27 s.
        var endpoint = Endpoint;
        _listener.Stop();
        var check = new HealthCheck(HealthCheckKind.Tcp, null, IntervalSeconds: 5, TimeoutSeconds: 10);
        var listening = DateTime.MinValue;
        var late = new TcpListener(IPAddress.Loopback, endpoint.Port);
        var app = Task.Run(async () =>
        {
            await Task.Delay(700);
            late.Start();
            listening = DateTime.UtcNow;
        });

        var outcome = await _probe.WaitUntilHealthyAsync(endpoint, check, _ => Task.FromResult<string?>(null), CancellationToken.None);
        var noticed = DateTime.UtcNow;
        await app;
        late.Stop();

        Assert.Equal(ProbeVerdict.Passed, outcome.Verdict);
        Assert.InRange(noticed - listening, TimeSpan.Zero, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task The_liveness_check_is_asked_less_often_than_the_probe_retries()
    {
        var endpoint = Endpoint;
        _listener.Stop();
        var asked = 0;

        var outcome = await _probe.WaitUntilHealthyAsync(endpoint, new HealthCheck(HealthCheckKind.Tcp, null, 1, 1),
            _ => { Interlocked.Increment(ref asked); return Task.FromResult<string?>(null); }, CancellationToken.None);

        Assert.Equal(ProbeVerdict.TimedOut, outcome.Verdict);
        Assert.InRange(asked, 1, 1 + (int)(TimeSpan.FromSeconds(1) / HealthProbe.AbandonCheckSpacing));
        Assert.True(outcome.Attempts > 2 * asked, $"{outcome.Attempts} attempts, {asked} liveness checks");
    }

    public void Dispose()
    {
        _listener.Stop();
        _probe.Dispose();
    }
}

public sealed class ImageReferenceSplitTests
{
    [Theory]
    [InlineData("localhost/paddock-demo:1", "localhost/paddock-demo", "1")]
    [InlineData("registry.example.com:5000/team/app", "registry.example.com:5000/team/app", "latest")]
    [InlineData("registry.example.com:5000/team/app:2.1", "registry.example.com:5000/team/app", "2.1")]
    [InlineData("nginx@sha256:abc", "nginx", "sha256:abc")]
    public void An_image_reference_splits_into_name_and_tag_for_the_pull(string image, string name, string tag)
    {
        Assert.Equal((name, tag), ImagePuller.Split(image));
    }
}
