using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Paddock.Bench;

/// <summary>Follows an environment's SSE stream and records, for each event, how long after it was written
/// (its <c>at</c>) this client received it. Same machine, same clock. It also keeps every live event's deployment,
/// phase and time, so a run can say where a deployment's time goes between its steps.</summary>
public sealed class EventStreamProbe(Uri portal, string token, string app, string env) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HttpClient _http = new() { BaseAddress = portal, Timeout = Timeout.InfiniteTimeSpan };
    public ConcurrentBag<double> Latencies { get; } = [];
    public ConcurrentQueue<(Guid Deployment, string Phase, DateTime At)> Steps { get; } = [];
    private readonly ConcurrentDictionary<(Guid, string), TaskCompletionSource> _seen = new();

    /// <summary>Completes once this client has received the deployment's first event of that phase.</summary>
    public Task SeenAsync(Guid deployment, string phase) => Seen(deployment, phase).Task;

    private TaskCompletionSource Seen(Guid deployment, string phase) =>
        _seen.GetOrAdd((deployment, phase), _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

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
                var root = json.RootElement;
                if (!root.TryGetProperty("at", out var at)) continue;
                var written = at.GetDateTime().ToUniversalTime();
                if (written < connectedAt) continue;
                Latencies.Add((received - written).TotalMilliseconds);
                if (root.TryGetProperty("deploymentId", out var deployment) && deployment.ValueKind == JsonValueKind.String)
                {
                    var step = (deployment.GetGuid(), root.GetProperty("phase").GetString() ?? "?", written);
                    Steps.Enqueue(step);
                    Seen(step.Item1, step.Item2).TrySetResult();
                }
            }
        });
    }

    /// <summary>Median time from each step to the next within one deployment, keyed "from → to", starting at the
    /// deployment's queued time; in the order the steps first appear.</summary>
    public IEnumerable<string> Breakdown(IReadOnlyDictionary<Guid, DateTime> queuedAt)
    {
        var gaps = new Dictionary<string, List<double>>();
        foreach (var deployment in Steps.GroupBy(s => s.Deployment).Where(g => queuedAt.ContainsKey(g.Key)))
        {
            var (previous, previousAt) = ("queued", queuedAt[deployment.Key]);
            foreach (var step in deployment.OrderBy(s => s.At))
            {
                var key = $"{previous} -> {step.Phase}";
                if (!gaps.TryGetValue(key, out var list)) gaps[key] = list = [];
                list.Add((step.At - previousAt).TotalMilliseconds);
                (previous, previousAt) = (step.Phase, step.At);
            }
        }
        return gaps.Select(g => $"  {g.Key,-28} p50 {Stats.Percentile(g.Value, 50),7:F1} ms  (n={g.Value.Count})");
    }

    public void Dispose()
    {
        _stop.Cancel();
        _http.Dispose();
    }
}
