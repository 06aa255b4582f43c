using System.Globalization;

namespace Paddock.Portal.Components.Shared;

/// <summary>Durations as a person reads them: "45 min", "3 h 10 min", "2 d 4 h". Whole minutes are enough for
/// delivery measures, and fewer digits read faster than decimal hours.</summary>
public static class Durations
{
    public const string None = "—";

    public static string Format(TimeSpan? duration)
    {
        if (duration is not { } d) return None;
        var minutes = (long)Math.Round(d.TotalMinutes, MidpointRounding.AwayFromZero);
        if (minutes < 60) return $"{minutes} min";
        var hours = minutes / 60;
        if (hours < 48) return minutes % 60 == 0 ? $"{hours} h" : $"{hours} h {minutes % 60} min";
        return hours % 24 == 0 ? $"{hours / 24} d" : $"{hours / 24} d {hours % 24} h";
    }

    public static string FromHours(double? hours) => hours is { } h ? Format(TimeSpan.FromHours(h)) : None;

    /// <summary>A share (0..1) as a whole percentage, "—" when there is nothing to share.</summary>
    public static string Percent(double? share) =>
        share is { } s ? (s * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : None;
}
