using System.Net.Sockets;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

public enum ProbeVerdict
{
    Passed = 0,
    TimedOut = 1,
    /// <summary>The caller's liveness check gave up (e.g. the container exited) before the probe passed.</summary>
    Abandoned = 2,
}

public sealed record ProbeOutcome(ProbeVerdict Verdict, string Detail, int Attempts);

/// <summary>Paddock's own health probe: an HTTP GET of the check's path that answers 2xx/3xx, or a TCP connect.
/// Engines' health checks are not used because Podman drives them with systemd timers, which these hosts lack.</summary>
public sealed class HealthProbe(TimeProvider clock) : IDisposable
{
    /// <summary>While a container starts, it is probed this often: a refused connection on loopback costs well under a
    /// millisecond, and every millisecond between "it listens" and "we noticed" is deploy time the user waits (half
    /// this pause, on average).</summary>
    public static readonly TimeSpan FastRetryDelay = TimeSpan.FromMilliseconds(5);

    /// <summary>How long the fast retries last; after that the pause doubles up to the check's interval (an app that
    /// takes seconds to start gains nothing from being asked a hundred times a second).</summary>
    public static readonly TimeSpan FastPhase = TimeSpan.FromSeconds(2);

    /// <summary>How often, at most, the caller is asked whether to give up (an engine call: too dear for every retry).
    /// The first time too comes only this long after the first failed probe: a container that has just started is
    /// seldom listening yet, and an engine call then would sit between its first answer and our noticing it.</summary>
    public static readonly TimeSpan AbandonCheckSpacing = TimeSpan.FromMilliseconds(200);

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,               // endpoints are local; a proxy from the environment must not see them
        AllowAutoRedirect = false,      // a redirect already proves the app answers
        PooledConnectionLifetime = TimeSpan.Zero,
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>One attempt, bounded by the check's interval.</summary>
    public async Task<(bool Passed, string Detail)> ProbeOnceAsync(HostEndpoint endpoint, HealthCheck check, CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(TimeSpan.FromSeconds(check.IntervalSeconds));
        try
        {
            if (check.Kind == HealthCheckKind.Tcp)
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(endpoint.Host, endpoint.Port, attempt.Token);
                return (true, $"TCP connect to {endpoint} succeeded");
            }
            using var response = await _http.GetAsync(endpoint.HttpUri(check.Path ?? "/"), HttpCompletionOption.ResponseHeadersRead, attempt.Token);
            var code = (int)response.StatusCode;
            return (code is >= 200 and < 400, $"GET {check.Path} on {endpoint} answered {code}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, $"{Describe(check)} on {endpoint} did not answer within {check.IntervalSeconds}s");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException)
        {
            return (false, $"{Describe(check)} on {endpoint} failed: {e.Message}");
        }
    }

    /// <summary>Probes until a probe passes, the check's timeout passes, or <paramref name="abandonReason"/>
    /// (asked between attempts) returns a reason to stop.</summary>
    public async Task<ProbeOutcome> WaitUntilHealthyAsync(
        HostEndpoint endpoint,
        HealthCheck check,
        Func<CancellationToken, Task<string?>> abandonReason,
        CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        var deadline = started + TimeSpan.FromSeconds(check.TimeoutSeconds);
        var interval = TimeSpan.FromSeconds(check.IntervalSeconds);
        var delay = FastRetryDelay;
        var lastAbandonCheck = started;
        var attempts = 0;
        var last = "no probe ran";
        while (true)
        {
            attempts++;
            var (passed, detail) = await ProbeOnceAsync(endpoint, check, ct);
            if (passed) return new ProbeOutcome(ProbeVerdict.Passed, detail, attempts);
            last = detail;
            var now = clock.GetUtcNow();
            if (now - lastAbandonCheck >= AbandonCheckSpacing)
            {
                lastAbandonCheck = now;
                if (await abandonReason(ct) is { } reason) return new ProbeOutcome(ProbeVerdict.Abandoned, reason, attempts);
            }
            var left = deadline - clock.GetUtcNow();
            if (left <= TimeSpan.Zero)
                return new ProbeOutcome(ProbeVerdict.TimedOut,
                    $"The health probe did not pass within {check.TimeoutSeconds}s ({attempts} attempts; last: {last})", attempts);
            await Task.Delay(Min(delay, left), clock, ct);
            if (clock.GetUtcNow() - started >= FastPhase) delay = Min(delay * 2, interval);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Describe(HealthCheck check) =>
        check.Kind == HealthCheckKind.Tcp ? "TCP connect" : $"GET {check.Path}";

    public void Dispose() => _http.Dispose();
}
