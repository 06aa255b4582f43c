using System.Collections.Concurrent;

namespace Paddock.Portal.Identity;

/// <summary>Slows password guessing without handing outsiders a way to lock people out: failures are counted per
/// account name and client address together, so guesses from one address block only that address for that account
/// (the owner signs in from theirs). After <see cref="FreeFailures"/> failures each further one doubles the wait,
/// from <see cref="FirstBlock"/> up to <see cref="LongestBlock"/>; a success clears the count. Unknown and known
/// account names are counted alike, so the throttle does not tell them apart either. Kept in the process's memory:
/// behind several portal processes each counts on its own.</summary>
public sealed class LoginThrottle(TimeProvider clock)
{
    public const int FreeFailures = 5;
    public static readonly TimeSpan FirstBlock = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan LongestBlock = TimeSpan.FromMinutes(15);
    private const int MaxTracked = 100_000;

    private readonly ConcurrentDictionary<(string Account, string Address), Entry> _failures = new();

    private sealed record Entry(int Count, DateTimeOffset BlockedUntil);

    /// <summary>How long this address must still wait before trying this account again; zero when it may try now.</summary>
    public TimeSpan WaitFor(string account, string? address) =>
        _failures.TryGetValue(Key(account, address), out var entry) && entry.BlockedUntil > clock.GetUtcNow()
            ? entry.BlockedUntil - clock.GetUtcNow()
            : TimeSpan.Zero;

    public void Failed(string account, string? address)
    {
        if (_failures.Count >= MaxTracked) Forget();
        var now = clock.GetUtcNow();
        _failures.AddOrUpdate(Key(account, address),
            _ => new Entry(1, now),
            (_, entry) =>
            {
                var count = entry.Count + 1;
                if (count < FreeFailures) return new Entry(count, now);
                var doubling = Math.Min(count - FreeFailures, 10);
                var block = TimeSpan.FromTicks(Math.Min(FirstBlock.Ticks << doubling, LongestBlock.Ticks));
                return new Entry(count, now + block);
            });
    }

    public void Succeeded(string account, string? address) => _failures.TryRemove(Key(account, address), out _);

    /// <summary>Drops entries no longer blocking, so that guessing many names cannot grow the table without end.</summary>
    private void Forget()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, entry) in _failures)
            if (entry.BlockedUntil <= now - LongestBlock) _failures.TryRemove(key, out _);
    }

    private static (string, string) Key(string account, string? address) => (account.Trim().ToUpperInvariant(), address ?? "");
}
