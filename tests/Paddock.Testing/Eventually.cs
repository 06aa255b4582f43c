namespace Paddock.Testing;

/// <summary>Polls a condition that something running elsewhere (a job, a watch, another process) makes true, and
/// fails the test with <c>what</c> when it does not hold in time.</summary>
public static class Eventually
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan within) =>
        HoldsAsync(() => Task.FromResult(condition()), what, within);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string what, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) Assert.Fail($"{what} did not happen within {within.TotalSeconds:0.#}s");
            await Task.Delay(PollInterval);
        }
    }
}
