using System.Text.RegularExpressions;

namespace Paddock.Domain.Tickets;

/// <summary>Finds ticket keys (<c>PAY-123</c>) in commit messages, branch names and titles, with a team's own patterns.</summary>
public sealed class TicketKeys
{
    public const string DefaultPattern = @"[A-Z][A-Z0-9]+-\d+";
    public const int MaxPatterns = 10;
    public const int MaxPatternLength = 200;
    public const int MaxKeyLength = 64;
    /// <summary>Patterns come from users: a pathological one must not stall a webhook.</summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly IReadOnlyList<Regex> _patterns;

    private TicketKeys(IReadOnlyList<Regex> patterns) => _patterns = patterns;

    public static TicketKeys Default { get; } = new([Compile(DefaultPattern)]);

    public static TicketKeys For(IReadOnlyCollection<string>? patterns) =>
        patterns is null || patterns.Count == 0 ? Default : new(patterns.Select(Compile).ToList());

    /// <summary>Null when the pattern can be used; else why not.</summary>
    public static string? Check(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return "A pattern is required.";
        if (pattern.Length > MaxPatternLength) return $"At most {MaxPatternLength} characters.";
        try
        {
            var regex = Compile(pattern);
            return regex.IsMatch("") ? $"'{pattern}' matches empty text; a key pattern must match something like PAY-123." : null;
        }
        catch (ArgumentException e)
        {
            return $"'{pattern}' is not a valid regular expression: {e.Message}";
        }
    }

    /// <summary>Keys in the text, upper-cased, each once, in order of appearance.</summary>
    public IReadOnlyList<string> Find(string? text)
    {
        if (string.IsNullOrEmpty(text)) return [];
        var keys = new List<string>();
        foreach (var pattern in _patterns)
        {
            try
            {
                foreach (Match match in pattern.Matches(text))
                    if (match.Length <= MaxKeyLength) keys.Add(match.Value.ToUpperInvariant());
            }
            catch (RegexMatchTimeoutException)
            {
                // A pattern too slow for this text finds nothing in it.
            }
        }
        return keys.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether the whole of <paramref name="key"/> is a key by these patterns.</summary>
    public bool IsKey(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= MaxKeyLength && Find(key).Contains(key.ToUpperInvariant());

    private static Regex Compile(string pattern) =>
        new($@"(?<![A-Za-z0-9])(?:{pattern})(?![A-Za-z0-9])", RegexOptions.CultureInvariant, MatchTimeout);
}
