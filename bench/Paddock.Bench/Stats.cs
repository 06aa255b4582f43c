namespace Paddock.Bench;

public static class Stats
{
    /// <summary>Nearest-rank percentile of the samples, in milliseconds.</summary>
    public static double Percentile(IReadOnlyCollection<double> samples, double percent)
    {
        var sorted = samples.Order().ToList();
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    public static string Summary(string name, IReadOnlyCollection<double> ms) =>
        $"{name}: n={ms.Count} p50={Percentile(ms, 50):F0} ms p95={Percentile(ms, 95):F0} ms p99={Percentile(ms, 99):F0} ms min={ms.Min():F0} ms max={ms.Max():F0} ms";
}
