namespace Paddock.Domain.Reconciliation;

/// <summary>When a repaired instance keeps dying: restarts back off exponentially, and after
/// <see cref="MaxRestarts"/> within <see cref="Window"/> the environment is Degraded with reason CrashLoop
/// instead of flapping forever.</summary>
public sealed record CrashLoopPolicy(int MaxRestarts, TimeSpan Window, TimeSpan InitialBackoff, TimeSpan MaxBackoff)
{
    public static CrashLoopPolicy Default { get; } = new(5, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));

    public RestartVerdict Evaluate(IEnumerable<DateTime> restarts, DateTime now)
    {
        var recent = restarts.Where(r => r > now - Window && r <= now).Order().ToList();
        if (recent.Count >= MaxRestarts) return new RestartVerdict(IsCrashLoop: true, NextAttemptAt: null, recent.Count);
        if (recent.Count == 0) return new RestartVerdict(false, now, 0);
        var backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, InitialBackoff.Ticks * (1L << Math.Min(recent.Count - 1, 30))));
        var next = recent[^1] + backoff;
        return new RestartVerdict(false, next > now ? next : now, recent.Count);
    }
}

/// <summary><see cref="NextAttemptAt"/> is null when restarts stop (crash loop).</summary>
public sealed record RestartVerdict(bool IsCrashLoop, DateTime? NextAttemptAt, int RecentRestarts);
