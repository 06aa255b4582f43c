using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

/// <summary>Collects a deployment's events in order (reported inline, unlike <see cref="Progress{T}"/>).</summary>
public sealed class EventRecorder : IProgress<BackendEvent>
{
    private readonly List<BackendEvent> events = [];

    public void Report(BackendEvent value)
    {
        lock (events) events.Add(value);
    }

    public IReadOnlyList<BackendEvent> Events
    {
        get { lock (events) return events.ToList(); }
    }
}

public static class Http
{
    private static readonly HttpClient Client = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    public static Task<string> GetAsync(HostEndpoint endpoint, string path = "/") => Client.GetStringAsync(endpoint.HttpUri(path));
}
