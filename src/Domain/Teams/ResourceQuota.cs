using System.Globalization;

namespace Paddock.Domain.Teams;

/// <summary>How many resources a team's environments may hold together on the servers Paddock provisions on:
/// <see cref="Databases"/> counts postgres databases, <see cref="Resources"/> every provisioned resource (databases,
/// caches, admins' own types). Null means no limit. Platform admins set it; a team cannot raise its own.</summary>
public sealed record ResourceQuota(int? Databases, int? Resources)
{
    public const int Maximum = 100_000;

    public bool IsEmpty => Databases is null && Resources is null;

    /// <summary>Null when the quota is valid; else what is wrong, for the API's field error.</summary>
    public string? Check()
    {
        if (Databases is < 0 or > Maximum) return $"databases must be between 0 and {Maximum}.";
        if (Resources is < 0 or > Maximum) return $"resources must be between 0 and {Maximum}.";
        return null;
    }

    /// <summary>Null when a team holding <paramref name="databases"/> databases and <paramref name="resources"/>
    /// resources in all stays within the quota; else the reason, naming the quota that would be exceeded.</summary>
    public string? Exceeded(string team, int databases, int resources)
    {
        if (Databases is { } maxDatabases && databases > maxDatabases)
            return $"Team '{team}' would hold {Count(databases)} databases, over its quota resourceQuota.databases = {Count(maxDatabases)}; " +
                "remove one, or ask a platform admin to raise the quota.";
        if (Resources is { } maxResources && resources > maxResources)
            return $"Team '{team}' would hold {Count(resources)} resources, over its quota resourceQuota.resources = {Count(maxResources)}; " +
                "remove one, or ask a platform admin to raise the quota.";
        return null;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Databases is { } databases) parts.Add($"databases {Count(databases)}");
        if (Resources is { } resources) parts.Add($"resources {Count(resources)}");
        return parts.Count == 0 ? "no limits" : string.Join(", ", parts);
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
