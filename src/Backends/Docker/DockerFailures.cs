using System.Net;
using System.Net.Sockets;
using Docker.DotNet;

namespace Paddock.Backends.Docker;

/// <summary>Tells engine errors apart, so that failures say what happened rather than an HTTP status.</summary>
internal static class DockerFailures
{
    public static bool IsUnreachable(Exception e) => e switch
    {
        HttpRequestException or SocketException or TimeoutException => true,
        IOException io => io.InnerException is SocketException || io.InnerException is null,
        DockerApiException => false,
        _ => e.InnerException is { } inner && IsUnreachable(inner),
    };

    public static bool IsNotFound(Exception e) =>
        e is DockerContainerNotFoundException or DockerNetworkNotFoundException or DockerImageNotFoundException
        || e is DockerApiException { StatusCode: HttpStatusCode.NotFound };

    /// <summary>A create that names a network the engine does not have (Docker: "network X not found"; Podman:
    /// "unable to find network with name or ID X: network not found").
    /// Podman answers it with a 500, so the message decides.</summary>
    public static bool IsNetworkMissing(DockerApiException e) =>
        Message(e) is var message && message.Contains("network", StringComparison.OrdinalIgnoreCase)
        && Contains(message, "not found", "no such network");

    public static bool IsConflict(Exception e) => e is DockerApiException { StatusCode: HttpStatusCode.Conflict };

    /// <summary>A create whose container name is taken (Docker: 409; Podman: 500 "... is already in use").</summary>
    public static bool IsNameTaken(DockerApiException e) =>
        IsConflict(e) || Message(e).Contains("already in use", StringComparison.OrdinalIgnoreCase);

    public static bool IsPortConflict(string message) =>
        Contains(message, "address already in use", "port is already allocated", "bind: ");

    public static bool IsAuthRefused(string message) =>
        Contains(message, "unauthorized", "authentication required", "access denied", "denied:", "401");

    public static bool IsImageMissing(string message) =>
        Contains(message, "manifest unknown", "not found", "no such image", "name unknown", "does not exist");

    /// <summary>The engine's own message from an API error, without the client's HTTP framing.</summary>
    public static string Message(Exception e) => e switch
    {
        DockerApiException api when !string.IsNullOrWhiteSpace(api.ResponseBody) => ExtractMessage(api.ResponseBody),
        _ => e.Message,
    };

    private static string ExtractMessage(string body)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            if (json.RootElement.TryGetProperty("message", out var message)) return message.GetString() ?? body;
        }
        catch (System.Text.Json.JsonException) { }
        return body.Trim();
    }

    private static bool Contains(string message, params string[] fragments) =>
        fragments.Any(fragment => message.Contains(fragment, StringComparison.OrdinalIgnoreCase));
}
