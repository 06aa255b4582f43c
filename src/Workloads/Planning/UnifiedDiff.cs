using System.Text;

namespace Paddock.Workloads.Planning;

/// <summary>
/// A line diff of two texts in the unified format of <c>diff -u</c> (<c>--- a</c>, <c>+++ b</c>, <c>@@ -l,n +l,n @@</c>
/// hunks with three lines of context), for showing two workload revisions side by side in review. The longest common
/// subsequence of lines is computed after trimming the common start and end; when what remains is too large for that
/// (more than <see cref="MaxCells"/> line pairs) the middle is shown as removed and added whole, which is still a
/// correct diff, only not a minimal one.
/// </summary>
public static class UnifiedDiff
{
    public const int Context = 3;
    public const long MaxCells = 4_000_000;

    private enum Kind { Same, Removed, Added }

    private readonly record struct Line(Kind Kind, string Text, int OldNumber, int NewNumber);

    /// <summary>The diff, or an empty string when the texts have the same lines.</summary>
    public static string Of(string before, string after, string beforeName = "a", string afterName = "b")
    {
        var lines = Lines(Split(before), Split(after));
        if (lines.All(l => l.Kind == Kind.Same)) return "";

        var text = new StringBuilder();
        text.Append("--- ").Append(beforeName).Append('\n');
        text.Append("+++ ").Append(afterName).Append('\n');
        foreach (var (start, end) in Hunks(lines)) WriteHunk(text, lines, start, end);
        return text.ToString();
    }

    private static string[] Split(string text)
    {
        if (text.Length == 0) return [];
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        if (normalized.EndsWith('\n')) normalized = normalized[..^1];
        return normalized.Split('\n');
    }

    private static List<Line> Lines(string[] a, string[] b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;

        var lines = new List<Line>(a.Length + b.Length);
        for (var i = 0; i < prefix; i++) lines.Add(new Line(Kind.Same, a[i], i + 1, i + 1));
        var (aEnd, bEnd) = (a.Length - suffix, b.Length - suffix);
        var (n, m) = (aEnd - prefix, bEnd - prefix);
        if ((long)n * m > MaxCells || n == 0 || m == 0)
        {
            for (var i = prefix; i < aEnd; i++) lines.Add(new Line(Kind.Removed, a[i], i + 1, 0));
            for (var j = prefix; j < bEnd; j++) lines.Add(new Line(Kind.Added, b[j], 0, j + 1));
        }
        else
        {
            // lcs[i, j]: the longest common subsequence of a[prefix + i..aEnd] and b[prefix + j..bEnd].
            var lcs = new int[n + 1, m + 1];
            for (var i = n - 1; i >= 0; i--)
                for (var j = m - 1; j >= 0; j--)
                    lcs[i, j] = a[prefix + i] == b[prefix + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            int x = 0, y = 0;
            while (x < n || y < m)
            {
                if (x < n && y < m && a[prefix + x] == b[prefix + y])
                {
                    lines.Add(new Line(Kind.Same, a[prefix + x], prefix + x + 1, prefix + y + 1));
                    x++; y++;
                }
                else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1]))
                {
                    // Removed lines before added ones, as diff -u writes a changed line.
                    lines.Add(new Line(Kind.Removed, a[prefix + x], prefix + x + 1, 0));
                    x++;
                }
                else
                {
                    lines.Add(new Line(Kind.Added, b[prefix + y], 0, prefix + y + 1));
                    y++;
                }
            }
        }
        for (var k = suffix; k > 0; k--) lines.Add(new Line(Kind.Same, a[^k], a.Length - k + 1, b.Length - k + 1));
        return lines;
    }

    /// <summary>Ranges of lines (end exclusive) around the changes, with up to <see cref="Context"/> unchanged lines on
    /// each side; changes closer than twice that share a hunk.</summary>
    private static List<(int Start, int End)> Hunks(List<Line> lines)
    {
        var hunks = new List<(int Start, int End)>();
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Kind == Kind.Same) continue;
            var start = Math.Max(0, i - Context);
            var end = Math.Min(lines.Count, i + 1 + Context);
            if (hunks.Count > 0 && start <= hunks[^1].End) hunks[^1] = (hunks[^1].Start, end);
            else hunks.Add((start, end));
        }
        return hunks;
    }

    private static void WriteHunk(StringBuilder text, List<Line> lines, int start, int end)
    {
        var range = lines.GetRange(start, end - start);
        var oldCount = range.Count(l => l.Kind != Kind.Added);
        var newCount = range.Count(l => l.Kind != Kind.Removed);
        // diff -u numbers an empty side by the line before it.
        var oldStart = oldCount == 0 ? OldLinesBefore(lines, start) : range.First(l => l.Kind != Kind.Added).OldNumber;
        var newStart = newCount == 0 ? NewLinesBefore(lines, start) : range.First(l => l.Kind != Kind.Removed).NewNumber;
        text.Append($"@@ -{Range(oldStart, oldCount)} +{Range(newStart, newCount)} @@\n");
        foreach (var line in range)
            text.Append(line.Kind switch { Kind.Removed => '-', Kind.Added => '+', _ => ' ' }).Append(line.Text).Append('\n');
    }

    /// <summary>As diff -u writes a range: a single line without its count.</summary>
    private static string Range(int start, int count) => count == 1 ? $"{start}" : $"{start},{count}";

    private static int OldLinesBefore(List<Line> lines, int index) => lines.Take(index).Count(l => l.Kind != Kind.Added);

    private static int NewLinesBefore(List<Line> lines, int index) => lines.Take(index).Count(l => l.Kind != Kind.Removed);
}
