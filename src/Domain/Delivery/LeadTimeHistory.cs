namespace Paddock.Domain.Delivery;

/// <summary>The tickets' lead times sorted by when they reached production, once, so that many windows (a
/// dashboard's weekly trend) cost a range lookup each instead of a pass over every ticket.</summary>
public sealed class LeadTimeHistory
{
    private readonly List<TicketLeadTime> _delivered;
    private readonly List<DateTime> _inProductionAt;
    private readonly int _inFlight;

    private LeadTimeHistory(List<TicketLeadTime> delivered, int inFlight)
    {
        _delivered = delivered;
        _inProductionAt = delivered.Select(t => t.InProductionAt!.Value).ToList();
        _inFlight = inFlight;
    }

    public static LeadTimeHistory Of(IEnumerable<TicketLeadTime> tickets)
    {
        var delivered = new List<TicketLeadTime>();
        var inFlight = 0;
        foreach (var t in tickets)
        {
            if (!t.InProduction) inFlight++;
            else if (t.Duration is not null) delivered.Add(t);
        }
        delivered.Sort((a, b) => a.InProductionAt!.Value.CompareTo(b.InProductionAt!.Value));
        return new LeadTimeHistory(delivered, inFlight);
    }

    /// <summary>Percentiles over the tickets that reached production within the window, and the share under target.</summary>
    public LeadTimeReport Report(TimeWindow window, TimeSpan target)
    {
        var from = LowerBound(window.From);
        var durations = new List<TimeSpan>(Math.Max(LowerBound(window.To) - from, 0));
        for (var i = from; i < _delivered.Count && _inProductionAt[i] < window.To; i++) durations.Add(_delivered[i].Duration!.Value);
        var share = durations.Count == 0 ? (double?)null : durations.Count(d => d <= target) / (double)durations.Count;
        return new LeadTimeReport(PercentileSummary.Of(durations), target, share, _inFlight);
    }

    private int LowerBound(DateTime at)
    {
        int low = 0, high = _inProductionAt.Count;
        while (low < high)
        {
            var mid = (low + high) / 2;
            if (_inProductionAt[mid] < at) low = mid + 1;
            else high = mid;
        }
        return low;
    }
}
