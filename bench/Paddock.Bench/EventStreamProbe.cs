using System.Net.Http.Headers;
using System.Text.Json;

namespace Paddock.Bench;

/// <summary>Follows an environment's SSE stream and records, for each event, how long after it was written
/// (its <c>at</c>) this client received it. Same machine, same clock.</summary>
public sealed class EventStreamProbe(Uri portal, string token, string app, string env) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { BaseAddress = portal, Timeout = Timeout.InfiniteTimeSpan };
    public System.Collections.Concurrent.ConcurrentBag<double> Latencies { get; } = [];

    public async Task StartAsync()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/apps/{app}/environments/{env}/events");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, _stop.Token);
        response.EnsureSuccessStatusCode();
        // Only live events count: the backlog sent first was written before this client connected.
        var connectedAt = DateTime.UtcNow;
        _ = Task.Run(async () =>
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(_stop.Token));
            while (!_stop.IsCancellationRequested && await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
                var received = DateTime.UtcNow;
                using var json = JsonDocument.Parse(line[5..]);
                if (json.RootElement.TryGetProperty("at", out var at) && at.GetDateTime().ToUniversalTime() is var written && written >= connectedAt)
                    Latencies.Add((received - written).TotalMilliseconds);
            }
        });
    }

    public void Dispose()
    {
        _stop.Cancel();
        _http.Dispose();
    }
}
