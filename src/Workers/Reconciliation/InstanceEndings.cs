using System.Collections.Concurrent;

namespace Paddock.Workers.Reconciliation;

/// <summary>Which instances were ended from outside lately (the engine reported a kill or stop for them), as opposed
/// to instances that exited on their own. Only the latter are crashes: an operator's or a chaos test's kill is
/// repaired at once, while a crashing instance is restarted with back-off and can end in CrashLoop.</summary>
public sealed class InstanceEndings(TimeProvider clock)
{
    private static readonly TimeSpan Memory = TimeSpan.FromMinutes(2);
    private readonly ConcurrentDictionary<string, DateTime> _endedFromOutside = new(StringComparer.Ordinal);

    public void EndedFromOutside(string instanceName)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        _endedFromOutside[instanceName] = now;
        if (_endedFromOutside.Count > 1000)
            foreach (var old in _endedFromOutside.Where(e => now - e.Value > Memory)) _endedFromOutside.TryRemove(old.Key, out _);
    }

    public bool WasEndedFromOutside(string instanceName) =>
        _endedFromOutside.TryGetValue(instanceName, out var at) && clock.GetUtcNow().UtcDateTime - at < Memory;
}
