using Paddock.Domain.Backends;

namespace Paddock.Testing;

/// <summary>Collects a deployment's events in order (reported inline, unlike <see cref="Progress{T}"/>).</summary>
public sealed class EventRecorder : IProgress<BackendEvent>
{
    private readonly List<BackendEvent> _events = [];

    public void Report(BackendEvent value)
    {
        lock (_events) _events.Add(value);
    }

    public IReadOnlyList<BackendEvent> Events
    {
        get { lock (_events) return _events.ToList(); }
    }

    public IReadOnlyList<string> Messages => Events.Select(e => e.Message).ToList();
}
