namespace Paddock.Domain.Delivery;

/// <summary>Nearest-rank percentiles: the smallest value with at least p% of the values at or below it, so every
/// percentile is a duration that really happened (no interpolated durations nobody saw).</summary>
public static class Percentiles
{
    public static TimeSpan? Of(IReadOnlyCollection<TimeSpan> values, double percent)
    {
        if (values.Count == 0) return null;
        if (percent is <= 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percent));
        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Max(rank, 1) - 1];
    }
}

public sealed record PercentileSummary(int Count, TimeSpan? P50, TimeSpan? P85, TimeSpan? P95)
{
    public static PercentileSummary Of(IReadOnlyCollection<TimeSpan> values) =>
        new(values.Count, Percentiles.Of(values, 50), Percentiles.Of(values, 85), Percentiles.Of(values, 95));
}
