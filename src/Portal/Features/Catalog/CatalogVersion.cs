using System.Globalization;

namespace Paddock.Portal.Features.Catalog;

/// <summary>An entry's version: numbers separated by dots, optionally followed by <c>-</c> and a label
/// (<c>1.39.10</c>, <c>6.6.2-1</c>). Compared number by number, then by label, so 1.10 is newer than 1.9.</summary>
public sealed record CatalogVersion(string Text)
{
    public static bool TryParse(string? text, out CatalogVersion version)
    {
        version = new CatalogVersion(text ?? "");
        if (string.IsNullOrEmpty(text) || text.Length > 50) return false;
        var numbers = text.Split('-', 2)[0].Split('.');
        return numbers.All(n => n.Length is > 0 and <= 9 && n.All(char.IsAsciiDigit));
    }

    public bool IsNewerThan(CatalogVersion other) => CompareTo(other) > 0;

    private int CompareTo(CatalogVersion other)
    {
        var (mine, theirs) = (Numbers(Text), Numbers(other.Text));
        for (var i = 0; i < Math.Max(mine.Length, theirs.Length); i++)
        {
            var compared = (i < mine.Length ? mine[i] : 0).CompareTo(i < theirs.Length ? theirs[i] : 0);
            if (compared != 0) return compared;
        }
        return string.CompareOrdinal(Label(Text), Label(other.Text));
    }

    public override string ToString() => Text;

    private static int[] Numbers(string text) =>
        text.Split('-', 2)[0].Split('.').Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();

    private static string Label(string text) => text.Split('-', 2) is [_, var label] ? label : "";
}
