using System.Text.RegularExpressions;

namespace Paddock.Provisioners.Network;

/// <summary>What a route's host and path may be: a DNS host name (lower case, labels of letters, digits and
/// <c>-</c>), and a path prefix <c>/</c> or <c>/segment[/segment…]</c> (Score's route path: starts with a slash, does not
/// end with one).</summary>
internal static partial class HostNames
{
    public static string? CheckHost(string host) =>
        host.Length <= 253 && HostPattern().IsMatch(host) ? null
            : $"'{host}' is not a host name (lower-case labels of letters, digits and '-', separated by dots).";

    public static string? CheckPath(string path) =>
        path == "/" || PathPattern().IsMatch(path) ? null
            : $"'{path}' is not a path prefix: it starts with '/' and does not end with one (as /, /api or /api/v1).";

    /// <summary>A DNS label from free text: lower case, runs of other characters as one '-', at most 63 long.</summary>
    public static string Label(string text)
    {
        var label = OtherCharacters().Replace(text.ToLowerInvariant(), "-").Trim('-');
        return label.Length <= 63 ? label : label[..63].TrimEnd('-');
    }

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")]
    private static partial Regex HostPattern();

    [GeneratedRegex("^(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+$")]
    private static partial Regex PathPattern();

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex OtherCharacters();
}
