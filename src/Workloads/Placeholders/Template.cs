using System.Text;

namespace Paddock.Workloads.Placeholders;

/// <summary>
/// A string that may hold Score placeholders, split into literal text and references, with Score's rules:
/// <c>${a.b}</c> is a reference whose parts are split on dots (<c>\.</c> is a dot inside a part);
/// <c>$$</c> is a literal <c>$</c>, so <c>$${a}</c> is the literal text <c>${a}</c>; any other <c>$</c>, and a
/// <c>${</c> without its <c>}</c>, are literal. A reference ends at the first <c>}</c>, so placeholders do not nest,
/// and values put in place of references are never read for placeholders again.
/// </summary>
public sealed class Template
{
    private Template(IReadOnlyList<TemplatePart> parts) => Parts = parts;

    public IReadOnlyList<TemplatePart> Parts { get; }

    public IEnumerable<Reference> References => Parts.OfType<Reference>();

    public static Template Parse(string text)
    {
        var parts = new List<TemplatePart>();
        var literal = new StringBuilder();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] != '$') { literal.Append(text[i++]); continue; }

            var escaped = i + 1 < text.Length && text[i + 1] == '$';
            var braceAt = escaped ? i + 2 : i + 1;
            var closeAt = braceAt < text.Length && text[braceAt] == '{' ? text.IndexOf('}', braceAt) : -1;
            if (closeAt >= 0)
            {
                if (escaped)
                {
                    literal.Append(text, i + 1, closeAt - i); // "$${x}" reads "${x}"
                }
                else
                {
                    if (literal.Length > 0) { parts.Add(new Literal(literal.ToString())); literal.Clear(); }
                    parts.Add(Reference.Parse(text[(braceAt + 1)..closeAt]));
                }
                i = closeAt + 1;
            }
            else
            {
                literal.Append('$');
                i += escaped ? 2 : 1; // "$$" reads "$"; a lone "$" stays
            }
        }
        if (literal.Length > 0) parts.Add(new Literal(literal.ToString()));
        return new Template(parts);
    }
}

public abstract record TemplatePart;

public sealed record Literal(string Text) : TemplatePart;

/// <param name="Raw">The text between the braces, as written.</param>
/// <param name="Path">Its parts, split on unescaped dots.</param>
public sealed record Reference(string Raw, IReadOnlyList<string> Path) : TemplatePart
{
    public static Reference Parse(string raw)
    {
        var path = raw.Replace(@"\.", "\0").Split('.').Select(p => p.Replace('\0', '.')).ToList();
        return new Reference(raw, path);
    }

    public string Root => Path[0];

    public override string ToString() => "${" + Raw + "}";
}
