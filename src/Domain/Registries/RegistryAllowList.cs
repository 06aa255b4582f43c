namespace Paddock.Domain.Registries;

/// <summary>Which registries images may come from: the platform's list (set by platform admins) narrowed by the
/// team's own list. An empty or missing list allows every registry at its level.</summary>
public sealed record RegistryAllowList(IReadOnlyCollection<string> Platform, IReadOnlyCollection<string>? Team)
{
    /// <summary>Null when <paramref name="image"/>'s registry is allowed; else why not, for the field error.</summary>
    public string? Check(string image)
    {
        var host = RegistryHost.OfImage(image);
        if (Platform.Count > 0 && !Platform.Any(allowed => RegistryHost.Normalize(allowed) == host))
            return $"Images from registry '{host}' are not allowed on this platform; allowed: {string.Join(", ", Platform.Select(RegistryHost.Normalize))}.";
        if (Team is { Count: > 0 } own && !own.Any(allowed => RegistryHost.Normalize(allowed) == host))
            return $"Images from registry '{host}' are not allowed in this team; allowed: {string.Join(", ", own.Select(RegistryHost.Normalize))}.";
        return null;
    }

    /// <summary>Null when a team may adopt <paramref name="teamList"/>: every entry is a plausible host, and a team cannot
    /// widen the platform's list.</summary>
    public static string? CheckTeamList(IReadOnlyCollection<string> teamList, IReadOnlyCollection<string> platform)
    {
        if (teamList.Count > 50) return "At most 50 registries.";
        foreach (var entry in teamList)
        {
            if (string.IsNullOrWhiteSpace(entry) || entry.Length > 255 || entry.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                return $"'{entry}' is not a registry host (e.g. registry.example.com or 127.0.0.1:5000).";
            var host = RegistryHost.Normalize(entry);
            if (host.Length == 0) return $"'{entry}' is not a registry host (e.g. registry.example.com or 127.0.0.1:5000).";
            if (platform.Count > 0 && !platform.Any(allowed => RegistryHost.Normalize(allowed) == host))
                return $"'{host}' is not in the platform's allowed registries ({string.Join(", ", platform.Select(RegistryHost.Normalize))}).";
        }
        return null;
    }
}
