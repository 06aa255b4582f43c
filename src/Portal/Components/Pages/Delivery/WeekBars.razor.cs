using Microsoft.AspNetCore.Components;

namespace Paddock.Portal.Components.Pages.Delivery;

public partial class WeekBars
{
    /// <summary>At most this many weeks are labelled, so the labels never overlap on a phone.</summary>
    private const int MaxLabels = 6;

    [Parameter, EditorRequired] public string Title { get; set; } = "";
    [Parameter, EditorRequired] public IReadOnlyList<string> Labels { get; set; } = [];
    [Parameter, EditorRequired] public IReadOnlyList<double?> Values { get; set; } = [];
    [Parameter, EditorRequired] public string EmptyText { get; set; } = "";
    [Parameter] public Func<double, string> Format { get; set; } = v => v.ToString("0.#");

    public readonly record struct Bar(bool HasValue, double Value, double Percent);

    /// <summary>Each value as a share of the largest one (0 when there is none).</summary>
    public static IReadOnlyList<Bar> Scale(IReadOnlyList<double?> values)
    {
        var max = values.Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(0).Max();
        return values.Select(v => v is { } x ? new Bar(true, x, max > 0 ? Math.Round(x / max * 100, 1) : 0) : new Bar(false, 0, 0)).ToList();
    }

    /// <summary>Whether there is anything to draw: a chart of nothing but gaps and zeros is an empty state instead.</summary>
    public static bool AnyData(IReadOnlyList<double?> values) => values.Any(v => v is > 0);

    private static int LabelStep(int count) => Math.Max(1, (int)Math.Ceiling(count / (double)MaxLabels));
}
