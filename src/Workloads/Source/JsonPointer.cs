namespace Paddock.Workloads.Source;

/// <summary>RFC 6901 JSON pointers as plain strings ("" is the whole document).</summary>
public static class Pointer
{
    public static string Append(string pointer, string token) =>
        pointer + "/" + token.Replace("~", "~0").Replace("/", "~1");

    public static string Append(string pointer, int index) => pointer + "/" + index;

    public static string Of(params string[] tokens) => tokens.Aggregate("", Append);

    /// <summary>The pointer one level up, or null for the whole document.</summary>
    public static string? Parent(string pointer)
    {
        if (pointer.Length == 0) return null;
        return pointer[..pointer.LastIndexOf('/')];
    }
}
