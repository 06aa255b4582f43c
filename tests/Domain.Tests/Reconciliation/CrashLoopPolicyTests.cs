using Paddock.Domain.Reconciliation;

namespace Paddock.Domain.Tests.Reconciliation;

public sealed class CrashLoopPolicyTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
    private static readonly CrashLoopPolicy Policy = new(MaxRestarts: 4, Window: TimeSpan.FromMinutes(5), InitialBackoff: TimeSpan.FromSeconds(1), MaxBackoff: TimeSpan.FromSeconds(30));

    [Fact]
    public void The_first_repair_happens_at_once()
    {
        var verdict = Policy.Evaluate([], Now);
        Assert.False(verdict.IsCrashLoop);
        Assert.Equal(Now, verdict.NextAttemptAt);
    }

    [Fact]
    public void Each_recent_restart_doubles_the_wait()
    {
        Assert.Equal(Now.AddSeconds(1), Policy.Evaluate([Now], Now).NextAttemptAt);
        Assert.Equal(Now.AddSeconds(2), Policy.Evaluate([Now.AddSeconds(-1), Now], Now).NextAttemptAt);
        Assert.Equal(Now.AddSeconds(4), Policy.Evaluate([Now.AddSeconds(-3), Now.AddSeconds(-1), Now], Now).NextAttemptAt);
    }

    [Fact]
    public void The_wait_never_exceeds_the_maximum()
    {
        var policy = Policy with { MaxRestarts = 100 };
        var restarts = Enumerable.Range(0, 20).Select(i => Now.AddSeconds(-i)).ToList();
        Assert.Equal(Now.AddSeconds(30), policy.Evaluate(restarts, Now).NextAttemptAt);
    }

    [Fact]
    public void Too_many_restarts_in_the_window_is_a_crash_loop_and_restarts_stop()
    {
        var verdict = Policy.Evaluate([Now.AddMinutes(-4), Now.AddMinutes(-3), Now.AddMinutes(-2), Now.AddMinutes(-1)], Now);
        Assert.True(verdict.IsCrashLoop);
        Assert.Null(verdict.NextAttemptAt);
    }

    [Fact]
    public void Restarts_older_than_the_window_are_forgotten()
    {
        var verdict = Policy.Evaluate([Now.AddMinutes(-20), Now.AddMinutes(-19), Now.AddMinutes(-18), Now.AddMinutes(-17)], Now);
        Assert.False(verdict.IsCrashLoop);
        Assert.Equal(0, verdict.RecentRestarts);
    }
}
