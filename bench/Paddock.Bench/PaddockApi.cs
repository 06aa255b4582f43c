using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Paddock.Bench;

/// <summary>The few public API calls the benchmarks need, as any client would make them.</summary>
public sealed class PaddockApi(Uri portal, string token)
{
    private readonly HttpClient _http = new() { BaseAddress = portal, Timeout = TimeSpan.FromSeconds(30), DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>A team, an app on the demo image and one environment, with unique names. <paramref name="command"/>
    /// replaces the image's command.</summary>
    public async Task<(string App, string Env)> CreateEnvironmentAsync(string image, int replicas = 1, string[]? command = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var team = $"bench-{suffix}";
        var app = $"bench-{suffix}";
        await SendAsync(HttpMethod.Post, "/api/v1/teams", new { name = team });
        await SendAsync(HttpMethod.Post, "/api/v1/apps", new { name = app, team, image, port = 8080, replicas, command, healthCheck = new { type = "http", path = "/" } });
        await SendAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments", new { name = "prod", stage = "Production", backend = "docker" });
        return (app, "prod");
    }

    public async Task<JsonElement> WaitForEnvironmentAsync(string app, string env, string status, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var view = await SendAsync(HttpMethod.Get, $"/api/v1/apps/{app}/environments/{env}");
            var current = view.GetProperty("status").GetString();
            if (current == status) return view;
            if (current == "Failed" || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"{app}/{env} is {current}: {view}");
            await Task.Delay(50);
        }
    }

    public async Task<Guid> DeployAsync(string app, string env, string image)
    {
        var answer = await SendAsync(HttpMethod.Post, $"/api/v1/apps/{app}/environments/{env}/deployments", new { image, message = "bench" });
        return answer.GetProperty("id").GetGuid();
    }

    public Task<JsonElement> DeploymentAsync(Guid id) => SendAsync(HttpMethod.Get, $"/api/v1/deployments/{id}");

    public Task DeleteEnvironmentAsync(string app, string env) => SendAsync(HttpMethod.Delete, $"/api/v1/apps/{app}/environments/{env}");
}
