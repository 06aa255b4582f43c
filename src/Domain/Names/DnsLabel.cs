using System.Text.RegularExpressions;

namespace Paddock.Domain.Names;

/// <summary>The RFC 1123 label rules that every Paddock name follows, so that names can become
/// Kubernetes namespaces, container networks and host names without translation.</summary>
public static partial class DnsLabel
{
    public const string Rule = "lowercase letters, digits and '-', starting and ending with a letter or digit";

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>Returns null when <paramref name="value"/> is a valid label of at most
    /// <paramref name="maxLength"/> characters, else a sentence saying what is wrong.</summary>
    public static string? Check(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value)) return "Required.";
        if (value.Length > maxLength) return $"At most {maxLength} characters (got {value.Length}).";
        if (!Pattern().IsMatch(value)) return $"Use {Rule}.";
        return null;
    }
}
