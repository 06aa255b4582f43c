using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

public static class Http
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public static Task<string> GetAsync(HostEndpoint endpoint, string path = "/") => Client.GetStringAsync(endpoint.HttpUri(path));
}
