namespace Paddock.Domain.Delivery;

/// <summary>Nearest-rank percentiles: the smallest value with at least p% of the values at or below it, so every
/// percentile is a duration that really happened (no interpolated durations nobody saw).</summary>
public static class Percentiles
{
    public static TimeSpan? Of(IReadOnlyCollection<TimeSpan> values, double percent)
    {
        if (values.Count == 0) return null;
        if (percent is <= 0 or > 100) throw new ArgumentOutOfRangeException(nameof(percent));
        return OfSorted(values.Order().ToList(), percent);
    }

    /// <summary>The percentile of values already sorted ascending (not empty).</summary>
    internal static TimeSpan OfSorted(List<TimeSpan> sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Max(rank, 1) - 1];
    }
}

public sealed record PercentileSummary(int Count, TimeSpan? P50, TimeSpan? P85, TimeSpan? P95)
{
    /// <summary>Sorts once for all three percentiles.</summary>
    public static PercentileSummary Of(IReadOnlyCollection<TimeSpan> values)
    {
        if (values.Count == 0) return new(0, null, null, null);
        var sorted = values.Order().ToList();
        return new(sorted.Count, Percentiles.OfSorted(sorted, 50), Percentiles.OfSorted(sorted, 85), Percentiles.OfSorted(sorted, 95));
    }
}
