namespace Paddock.Domain.Names;

/// <summary>Names that would collide with what clusters and Paddock itself create.</summary>
public static class ReservedNames
{
    private static readonly string[] ReservedPrefixes = ["kube-", "paddock-"];
    private static readonly string[] ReservedExact = ["default", "kube", "paddock"];

    public static string? Check(string name)
    {
        if (ReservedExact.Contains(name)) return $"'{name}' is reserved.";
        foreach (var prefix in ReservedPrefixes)
            if (name.StartsWith(prefix, StringComparison.Ordinal))
                return $"Names starting with '{prefix}' are reserved.";
        return null;
    }
}
