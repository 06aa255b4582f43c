using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Paddock.Portal.Api;

/// <summary>Writes a <c>text/event-stream</c> response by hand, flushing each event, so that ids, event names and
/// keep-alive comments are exactly what a browser's EventSource and <c>curl -N</c> expect.</summary>
public sealed class ServerSentEvents(HttpResponse response, JsonSerializerOptions json)
{
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);

    public static async Task<ServerSentEvents> StartAsync(HttpContext http, JsonSerializerOptions json)
    {
        var response = http.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.Body.FlushAsync(http.RequestAborted);
        return new ServerSentEvents(response, json);
    }

    public Task WriteAsync<T>(string? id, string eventName, T data, CancellationToken ct)
    {
        var text = new StringBuilder();
        if (id is not null) text.Append("id: ").Append(id).Append('\n');
        text.Append("event: ").Append(eventName).Append('\n');
        text.Append("data: ").Append(JsonSerializer.Serialize(data, json)).Append("\n\n");
        return SendAsync(text.ToString(), ct);
    }

    /// <summary>A comment line: ignored by clients, it keeps proxies and idle timeouts from closing the stream.</summary>
    public Task KeepAliveAsync(CancellationToken ct) => SendAsync(": keep-alive\n\n", ct);

    private async Task SendAsync(string text, CancellationToken ct)
    {
        await response.WriteAsync(text, ct);
        await response.Body.FlushAsync(ct);
    }
}
