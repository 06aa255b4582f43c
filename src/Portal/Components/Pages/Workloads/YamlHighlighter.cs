using System.Text.RegularExpressions;

namespace Paddock.Portal.Components.Pages.Workloads;

public enum YamlTokenKind { Plain, Key, Punctuation, String, Number, Literal, Placeholder, Comment, Marker, BlockText }

public sealed record YamlToken(YamlTokenKind Kind, string Text);

/// <summary>
/// Splits YAML text into coloured tokens, line by line, for the workload editor. It only colours: it never decides
/// whether the text is valid (the server's reader does), so it is forgiving and line-local, except for block scalars
/// (<c>content: |</c>), whose indented lines are text however they look. The tokens of a line concatenate to exactly
/// that line, so the coloured copy lines up with the text being edited.
/// </summary>
public static partial class YamlHighlighter
{
    public static IReadOnlyList<IReadOnlyList<YamlToken>> Tokenise(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var result = new List<IReadOnlyList<YamlToken>>(lines.Length);
        int? blockIndent = null; // the indentation of the key that opened a block scalar, while inside it
        foreach (var line in lines)
        {
            var indent = line.Length - line.TrimStart(' ').Length;
            if (blockIndent is { } opened && (line.Trim().Length == 0 || indent > opened))
            {
                result.Add(line.Length == 0 ? [] : [new YamlToken(YamlTokenKind.BlockText, line)]);
                continue;
            }
            blockIndent = null;
            var tokens = new List<YamlToken>();
            if (Line(line, tokens)) blockIndent = indent + DashesWidth(line, indent);
            result.Add(tokens);
        }
        return result;
    }

    /// <summary>Tokenises one line; answers whether it opens a block scalar.</summary>
    private static bool Line(string line, List<YamlToken> tokens)
    {
        var at = 0;
        while (at < line.Length && line[at] == ' ') at++;
        if (at > 0) tokens.Add(new YamlToken(YamlTokenKind.Plain, line[..at]));
        var rest = line[at..];
        if (rest.Length == 0) return false;
        if (rest.StartsWith('#')) { tokens.Add(new YamlToken(YamlTokenKind.Comment, rest)); return false; }
        if (rest.TrimEnd() is "---" or "...") { tokens.Add(new YamlToken(YamlTokenKind.Marker, rest)); return false; }

        while (rest.StartsWith("- ") || rest == "-")
        {
            tokens.Add(new YamlToken(YamlTokenKind.Punctuation, "-"));
            rest = rest[1..];
            var spaces = rest.Length - rest.TrimStart(' ').Length;
            if (spaces > 0) tokens.Add(new YamlToken(YamlTokenKind.Plain, rest[..spaces]));
            rest = rest[spaces..];
        }
        if (KeyPattern().Match(rest) is { Success: true } key)
        {
            tokens.Add(new YamlToken(YamlTokenKind.Key, key.Groups["key"].Value));
            if (key.Groups["gap"].Length > 0) tokens.Add(new YamlToken(YamlTokenKind.Plain, key.Groups["gap"].Value));
            tokens.Add(new YamlToken(YamlTokenKind.Punctuation, ":"));
            rest = rest[key.Length..];
            var spaces = rest.Length - rest.TrimStart(' ').Length;
            if (spaces > 0) tokens.Add(new YamlToken(YamlTokenKind.Plain, rest[..spaces]));
            rest = rest[spaces..];
        }
        return Value(rest, tokens);
    }

    /// <summary>A value and its trailing comment; answers whether the value is a block scalar indicator.</summary>
    private static bool Value(string rest, List<YamlToken> tokens)
    {
        if (rest.Length == 0) return false;
        if (rest.StartsWith('#')) { tokens.Add(new YamlToken(YamlTokenKind.Comment, rest)); return false; }
        string value, comment;
        if (rest[0] is '"' or '\'')
        {
            var end = ClosingQuote(rest);
            value = rest[..end];
            comment = rest[end..];
        }
        else
        {
            var hash = rest.IndexOf(" #", StringComparison.Ordinal);
            (value, comment) = hash < 0 ? (rest, "") : (rest[..hash], rest[hash..]);
        }
        var trimmed = value.TrimEnd();
        var isBlock = BlockIndicator().IsMatch(trimmed);
        if (isBlock) tokens.Add(new YamlToken(YamlTokenKind.Punctuation, trimmed));
        else if (trimmed is "true" or "false" or "null" or "~" or "True" or "False" or "Null") tokens.Add(new YamlToken(YamlTokenKind.Literal, trimmed));
        else if (NumberPattern().IsMatch(trimmed)) tokens.Add(new YamlToken(YamlTokenKind.Number, trimmed));
        else WithPlaceholders(trimmed, tokens);
        if (trimmed.Length < value.Length) tokens.Add(new YamlToken(YamlTokenKind.Plain, value[trimmed.Length..]));
        if (comment.Length > 0)
        {
            var spaces = comment.Length - comment.TrimStart(' ').Length;
            if (spaces > 0) tokens.Add(new YamlToken(YamlTokenKind.Plain, comment[..spaces]));
            if (comment.Length > spaces) tokens.Add(new YamlToken(comment[spaces] == '#' ? YamlTokenKind.Comment : YamlTokenKind.Plain, comment[spaces..]));
        }
        return isBlock;
    }

    /// <summary>A string, with Score's <c>${…}</c> placeholders picked out (<c>$$</c> is a literal dollar).</summary>
    private static void WithPlaceholders(string value, List<YamlToken> tokens)
    {
        var at = 0;
        foreach (Match placeholder in PlaceholderPattern().Matches(value))
        {
            if (placeholder.Value == "$$") continue;
            if (placeholder.Index > at) tokens.Add(new YamlToken(YamlTokenKind.String, value[at..placeholder.Index]));
            tokens.Add(new YamlToken(YamlTokenKind.Placeholder, placeholder.Value));
            at = placeholder.Index + placeholder.Length;
        }
        if (at < value.Length) tokens.Add(new YamlToken(YamlTokenKind.String, value[at..]));
    }

    /// <summary>Where a quoted scalar ends (after its closing quote), or the end of the line when it does not close here.</summary>
    private static int ClosingQuote(string rest)
    {
        var quote = rest[0];
        for (var i = 1; i < rest.Length; i++)
        {
            if (quote == '"' && rest[i] == '\\') { i++; continue; }
            if (rest[i] != quote) continue;
            if (quote == '\'' && i + 1 < rest.Length && rest[i + 1] == '\'') { i++; continue; } // '' is a quote inside
            return i + 1;
        }
        return rest.Length;
    }

    private static int DashesWidth(string line, int indent)
    {
        var at = indent;
        while (at + 1 < line.Length && line[at] == '-' && line[at + 1] == ' ')
        {
            at += 1;
            while (at < line.Length && line[at] == ' ') at++;
        }
        return at - indent;
    }

    [GeneratedRegex("""^(?<key>"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"\-{\[][^#]*?|-[^\s#][^#]*?)(?<gap> *):(?= |$)""")]
    private static partial Regex KeyPattern();

    [GeneratedRegex(@"^[|>][-+0-9]*$")]
    private static partial Regex BlockIndicator();

    [GeneratedRegex(@"^[-+]?(\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|\.\d+|0x[0-9a-fA-F]+|0o[0-7]+|\.inf|\.nan)$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"\$\$|\$\{[^}]*\}")]
    private static partial Regex PlaceholderPattern();
}
