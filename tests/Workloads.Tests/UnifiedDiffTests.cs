using Paddock.Workloads.Planning;

namespace Paddock.Workloads.Tests;

public class UnifiedDiffTests
{
    [Fact]
    public void Texts_with_the_same_lines_have_no_diff()
    {
        Assert.Equal("", UnifiedDiff.Of("a\nb\n", "a\nb\n"));
        Assert.Equal("", UnifiedDiff.Of("a\r\nb", "a\nb\n"));
    }

    [Fact]
    public void A_changed_line_is_one_hunk_with_three_lines_of_context_as_diff_u_writes_it()
    {
        var before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        var after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";

        Assert.Equal("""
            --- r1
            +++ r2
            @@ -2,7 +2,7 @@
             2
             3
             4
            -5
            +five
             6
             7
             8

            """, UnifiedDiff.Of(before, after, "r1", "r2"));
    }

    [Fact]
    public void Changes_far_apart_are_separate_hunks_and_near_ones_share_one()
    {
        var before = string.Join("\n", Enumerable.Range(1, 30)) + "\n";
        var after = before.Replace("\n3\n", "\nthree\n").Replace("\n5\n", "\nfive\n").Replace("\n25\n", "\n");

        var diff = UnifiedDiff.Of(before, after);

        Assert.Equal(["@@ -1,8 +1,8 @@", "@@ -22,7 +22,6 @@"], diff.Split('\n').Where(l => l.StartsWith("@@")));
    }

    [Fact]
    public void Additions_at_the_end_and_into_an_empty_text_number_their_empty_side_by_the_line_before()
    {
        Assert.Equal("--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n", UnifiedDiff.Of("", "x\ny\n"));
        Assert.Equal("--- a\n+++ b\n@@ -1,2 +1 @@\n x\n-y\n", UnifiedDiff.Of("x\ny\n", "x\n"));
    }

    [Theory]
    [InlineData("a\nb\nc\nd\n", "b\nc\nd\ne\n")]
    [InlineData("a\nb\na\nb\nc\n", "b\na\nc\nb\na\n")]
    [InlineData("x\n", "")]
    [InlineData("same\nkeep\nold\nkeep\nsame\n", "same\nnew\nkeep\nsame\nnew\n")]
    public void Each_side_of_the_diff_rebuilds_its_text(string before, string after)
    {
        var diff = UnifiedDiff.Of(before, after);

        Assert.Equal(Lines(before), Rebuild(Lines(before), diff, side: '-'));
        Assert.Equal(Lines(after), Rebuild(Lines(before), diff, side: '+'));
    }

    [Fact]
    public void The_diff_is_minimal_where_the_common_lines_are_many()
    {
        var before = "apiVersion: score.dev/v1b1\nmetadata:\n  name: shop\ncontainers:\n  web:\n    image: shop:1\n    variables:\n      A: '1'\n";
        var after = "apiVersion: score.dev/v1b1\nmetadata:\n  name: shop\ncontainers:\n  web:\n    image: shop:2\n    variables:\n      A: '1'\n      B: '2'\n";

        var changed = UnifiedDiff.Of(before, after).Split('\n').Where(l => l.Length > 0 && l[0] is '-' or '+' && !l.StartsWith("---") && !l.StartsWith("+++"));

        Assert.Equal(["-    image: shop:1", "+    image: shop:2", "+      B: '2'"], changed);
    }

    private static List<string> Lines(string text) => text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n').ToList();

    /// <summary>Applies the diff to <paramref name="before"/> (side '+') or checks it against it (side '-'): a
    /// small reader of the format, independent of the writer.</summary>
    private static List<string> Rebuild(List<string> before, string diff, char side)
    {
        if (diff.Length == 0) return before;
        var result = new List<string>();
        var next = 0; // the next line of before not yet copied
        foreach (var line in diff.Split('\n').Skip(2).Where(l => l.Length > 0))
        {
            if (line.StartsWith("@@"))
            {
                var oldRange = line.Split(' ')[1][1..].Split(',');
                var oldStart = int.Parse(oldRange[0]);
                var oldCount = oldRange.Length > 1 ? int.Parse(oldRange[1]) : 1;
                var firstOld = oldCount == 0 ? oldStart : oldStart - 1;
                while (next < firstOld) result.Add(before[next++]);
                continue;
            }
            var text = line[1..];
            switch (line[0])
            {
                case ' ':
                    Assert.Equal(before[next++], text);
                    result.Add(text);
                    break;
                case '-':
                    Assert.Equal(before[next++], text);
                    if (side == '-') result.Add(text);
                    break;
                case '+':
                    if (side == '+') result.Add(text);
                    break;
            }
        }
        while (next < before.Count) result.Add(before[next++]);
        return result;
    }
}
