namespace Paddock.Edge.Tests.Infrastructure;

public static class Percentiles
{
    public static double Of(IReadOnlyList<TimeSpan> samples, double percentile)
    {
        var sorted = samples.Select(s => s.TotalMilliseconds).Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    public static string Describe(IReadOnlyList<TimeSpan> samples) =>
        $"n={samples.Count} p50={Of(samples, 50):0.0} ms p95={Of(samples, 95):0.0} ms max={Of(samples, 100):0.0} ms";
}
