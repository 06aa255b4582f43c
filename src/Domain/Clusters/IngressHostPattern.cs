using Paddock.Domain.Names;

namespace Paddock.Domain.Clusters;

/// <summary>The host each environment's Ingress gets, e.g. <c>{env}-{app}.apps.example.com</c>.</summary>
public static class IngressHostPattern
{
    public const int MaxLength = 253;
    public const string Example = "{env}-{app}.apps.example.com";

    /// <summary>Null when <paramref name="pattern"/> is usable. Both placeholders are required: without
    /// <c>{app}</c> or <c>{env}</c> two environments would claim the same host. With them filled in by the longest
    /// names Paddock allows, every dot-separated label must still be a DNS label, so every environment's host is valid.</summary>
    public static string? Check(string? pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern)) return $"Give a host pattern such as {Example}, or none for no Ingress.";
        if (pattern.Length > MaxLength) return $"At most {MaxLength} characters.";
        if (!pattern.Contains("{env}", StringComparison.Ordinal) || !pattern.Contains("{app}", StringComparison.Ordinal))
            return $"Must contain both {{env}} and {{app}}, e.g. {Example}.";
        var filled = Fill(pattern, new string('a', AppName.MaxLength), new string('e', EnvironmentName.MaxLength));
        if (filled.Contains('{') || filled.Contains('}')) return "Only {env} and {app} can be filled in.";
        var labels = filled.Split('.');
        if (labels.Length < 2) return $"Must be a host name with a domain, e.g. {Example}.";
        foreach (var label in labels)
        {
            if (DnsLabel.Check(label, 63) is { } error)
                return label.Length > 63
                    ? "A part between dots would exceed 63 characters for the longest application and environment names; put {app} and {env} in different parts or shorten the rest."
                    : $"Every part between dots must use {DnsLabel.Rule}: {error}";
        }
        return filled.Length > MaxLength ? $"Too long for the longest application and environment names (at most {MaxLength} characters)." : null;
    }

    public static string Fill(string pattern, string app, string env) =>
        pattern.Replace("{app}", app, StringComparison.Ordinal).Replace("{env}", env, StringComparison.Ordinal);
}
