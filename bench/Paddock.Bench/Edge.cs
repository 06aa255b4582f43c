namespace Paddock.Bench;

/// <summary>Reads an environment's stable URL through the edge, whatever its host name resolves to here.</summary>
public sealed class Edge
{
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

    public async Task<TimeSpan> WaitForContentAsync(Uri environmentUrl, Uri edgeAddress, string expected, TimeSpan timeout)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < timeout)
        {
            if ((await GetAsync(environmentUrl, edgeAddress))?.Contains(expected, StringComparison.Ordinal) == true) return started.Elapsed;
            await Task.Delay(5);
        }
        throw new TimeoutException($"{environmentUrl} did not show '{expected}' within {timeout}.");
    }
}
