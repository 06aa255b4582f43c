namespace Paddock.Workers.Reconciliation;

/// <summary>Environments waiting for a reconcile, each at most once: a burst of engine events for one environment
/// collapses into one entry (the earliest due time wins), and a back-off is just an entry due later.</summary>
public sealed class ReconcileQueue(TimeProvider clock) : IDisposable
{
    private readonly Dictionary<Guid, (DateTime DueAt, string Trigger)> _waiting = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _wake = new(0);

    public int Count
    {
        get { lock (_gate) return _waiting.Count; }
    }

    public void Request(Guid environmentId, TimeSpan delay, string trigger)
    {
        var dueAt = clock.GetUtcNow().UtcDateTime + (delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        lock (_gate)
        {
            if (_waiting.TryGetValue(environmentId, out var existing) && existing.DueAt <= dueAt) return;
            _waiting[environmentId] = (dueAt, trigger);
        }
        _wake.Release();
    }

    /// <summary>Waits until at least one environment is due, then takes all that are.</summary>
    public async Task<IReadOnlyList<(Guid EnvironmentId, string Trigger)>> TakeDueAsync(CancellationToken ct)
    {
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                var now = clock.GetUtcNow().UtcDateTime;
                var due = _waiting.Where(w => w.Value.DueAt <= now).Select(w => (w.Key, w.Value.Trigger)).ToList();
                if (due.Count > 0)
                {
                    foreach (var (id, _) in due) _waiting.Remove(id);
                    return due;
                }
                wait = _waiting.Count == 0 ? TimeSpan.FromSeconds(1) : _waiting.Values.Min(w => w.DueAt) - now;
            }
            await _wake.WaitAsync(wait < TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), ct);
        }
    }

    public void Dispose() => _wake.Dispose();
}
