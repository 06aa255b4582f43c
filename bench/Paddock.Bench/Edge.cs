namespace Paddock.Bench;

/// <summary>Reads an environment's stable URL through the edge, whatever its host name resolves to here.</summary>
public sealed class Edge
{
    public static readonly TimeSpan FastPoll = TimeSpan.FromMilliseconds(5);
    public static readonly TimeSpan SlowPoll = TimeSpan.FromMilliseconds(50);

    private readonly HttpClient _http = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromSeconds(5) }) { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>The body, or null when the URL does not answer 2xx.</summary>
    public async Task<string?> GetAsync(Uri environmentUrl, Uri edgeAddress)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(edgeAddress, environmentUrl.PathAndQuery));
        request.Headers.Host = environmentUrl.Authority;
        try
        {
            using var response = await _http.SendAsync(request);
            return response.IsSuccessStatusCode ? await response.Content.ReadAsStringAsync() : null;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Polls every <see cref="FastPoll"/> once <paramref name="pollFast"/> completes, every
    /// <see cref="SlowPoll"/> before. Every answer from the old version costs the machine a request through the edge
    /// and a process in the demo's httpd: polling fast while the new container starts would load the engine's start
    /// with the bench's own traffic, which the raw baseline (nothing to poll until its container runs) never sees.</summary>
    public async Task<TimeSpan> WaitForContentAsync(Uri environmentUrl, Uri edgeAddress, string expected, TimeSpan timeout, Task? pollFast = null)
    {
        pollFast ??= Task.CompletedTask;
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < timeout)
        {
            if ((await GetAsync(environmentUrl, edgeAddress))?.Contains(expected, StringComparison.Ordinal) == true) return started.Elapsed;
            if (pollFast.IsCompleted) await Task.Delay(FastPoll);
            else await Task.WhenAny(Task.Delay(SlowPoll), pollFast);
        }
        throw new TimeoutException($"{environmentUrl} did not show '{expected}' within {timeout}.");
    }
}
