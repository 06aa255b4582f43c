using Microsoft.Extensions.Time.Testing;
using Paddock.Portal.Identity;

namespace Paddock.Integration.Tests.Security;

public sealed class LoginThrottleTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-12-07T08:00:00Z"));

    [Fact]
    public void Guesses_from_one_address_block_that_address_for_that_account_only()
    {
        var throttle = new LoginThrottle(_clock);
        for (var i = 0; i < LoginThrottle.FreeFailures; i++) throttle.Failed("dev@example.com", "203.0.113.9");

        Assert.Equal(LoginThrottle.FirstBlock, throttle.WaitFor("DEV@example.com", "203.0.113.9"));
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor("dev@example.com", "192.0.2.1"));
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor("other@example.com", "203.0.113.9"));
    }

    [Fact]
    public void Each_further_failure_doubles_the_wait_up_to_fifteen_minutes_and_a_success_clears_it()
    {
        var throttle = new LoginThrottle(_clock);
        for (var i = 0; i < LoginThrottle.FreeFailures + 1; i++) throttle.Failed("dev@example.com", "203.0.113.9");
        Assert.Equal(LoginThrottle.FirstBlock * 2, throttle.WaitFor("dev@example.com", "203.0.113.9"));

        for (var i = 0; i < 20; i++) throttle.Failed("dev@example.com", "203.0.113.9");
        Assert.Equal(LoginThrottle.LongestBlock, throttle.WaitFor("dev@example.com", "203.0.113.9"));

        _clock.Advance(LoginThrottle.LongestBlock);
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor("dev@example.com", "203.0.113.9"));
        throttle.Succeeded("dev@example.com", "203.0.113.9");
        throttle.Failed("dev@example.com", "203.0.113.9");
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor("dev@example.com", "203.0.113.9"));
    }

    [Fact]
    public void Fewer_failures_than_the_free_ones_do_not_block()
    {
        var throttle = new LoginThrottle(_clock);
        for (var i = 0; i < LoginThrottle.FreeFailures - 1; i++) throttle.Failed("nobody@example.com", null);

        Assert.Equal(TimeSpan.Zero, throttle.WaitFor("nobody@example.com", null));
    }
}
