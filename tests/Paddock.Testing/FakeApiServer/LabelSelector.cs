using System.Text.Json.Nodes;

namespace Paddock.Testing.FakeApiServer;

/// <summary>The equality-based label selector syntax: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a</c>, <c>!a</c>, comma-separated.
/// Set-based selectors (<c>in</c>, <c>notin</c>) are not implemented and throw.</summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> _requirements = [];

    public static LabelSelector Everything { get; } = new();

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text)) return selector;
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.Contains(" in ") || raw.Contains(" notin ") || raw.Contains('('))
                throw new NotSupportedException($"set-based label selector '{raw}'");
            var notEqual = raw.IndexOf("!=", StringComparison.Ordinal);
            var equal = raw.IndexOf('=');
            if (notEqual > 0)
            {
                var (key, value) = (raw[..notEqual], raw[(notEqual + 2)..]);
                selector._requirements.Add(labels => !labels.TryGetValue(key, out var v) || v != value);
            }
            else if (equal > 0)
            {
                var key = raw[..equal];
                var value = raw[(equal + 1)..].TrimStart('=');
                selector._requirements.Add(labels => labels.TryGetValue(key, out var v) && v == value);
            }
            else if (raw.StartsWith('!'))
                selector._requirements.Add(labels => !labels.ContainsKey(raw[1..]));
            else
                selector._requirements.Add(labels => labels.ContainsKey(raw));
        }
        return selector;
    }

    public bool Matches(JsonObject item) => _requirements.All(r => r(LabelsOf(item)));

    public static Dictionary<string, string> LabelsOf(JsonObject item) =>
        item["metadata"]?["labels"] is JsonObject labels
            ? labels.Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>())
            : [];
}
