using System.Text;
using System.Text.RegularExpressions;

namespace Paddock.Portal.Features.Catalog;

/// <summary>
/// Fills an entry's <c>score.yaml</c>: <c>${parameters.ID}</c> becomes the parameter's value and <c>${images.KEY}</c>
/// the entry's image; every other <c>${…}</c> (Score's own <c>${resources.…}</c>, <c>${metadata.…}</c>) and the escape
/// <c>$$</c> are left for Score. Values are written for a YAML double-quoted string (<c>\</c> and <c>"</c> escaped)
/// with <c>$</c> doubled, so a value can neither end the string nor become a placeholder: entries put these
/// placeholders inside double quotes (a test checks every built-in entry with a value full of such characters).
/// </summary>
public static partial class CatalogTemplate
{
    public const string ParametersRoot = "parameters";
    public const string ImagesRoot = "images";

    [GeneratedRegex(@"\$\$|\$\{(parameters|images)\.([A-Za-z0-9_.-]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>The parameter ids and image keys the template names, each as (root, key).</summary>
    public static IReadOnlyList<(string Root, string Key)> Placeholders(string template) =>
        Placeholder().Matches(template).Where(m => m.Value != "$$").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Distinct().ToList();

    public static string Render(CatalogEntry entry, IReadOnlyDictionary<string, string> parameterValues) =>
        Placeholder().Replace(entry.WorkloadTemplate, match => match.Value == "$$" ? "$$" : match.Groups[1].Value switch
        {
            ParametersRoot => Escape(parameterValues[match.Groups[2].Value]),
            _ => Escape(entry.Images[match.Groups[2].Value]),
        });

    private static string Escape(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                '$' => "$$",
                '\n' => @"\n",
                '\r' => @"\r",
                '\t' => @"\t",
                _ => c.ToString(),
            });
        }
        return text.ToString();
    }
}
