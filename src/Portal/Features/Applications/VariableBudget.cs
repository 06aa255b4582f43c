using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Applications;

/// <summary>The size limit of one level's variables and secrets together (an application's own, or one
/// environment's overrides): every deployment snapshot and audit event copies them, so they stay small.</summary>
public static class VariableBudget
{
    /// <summary>Names and values of variables and secrets of one level together, in characters.</summary>
    public const int MaxTotalLength = 64 * 1024;

    /// <summary>Adds an error to <c>env</c> and <c>secrets</c> (those that hold anything) when the level would
    /// hold more than <see cref="MaxTotalLength"/>.</summary>
    public static void Check(FieldErrors errors, IReadOnlyDictionary<string, string?> env, IReadOnlyDictionary<string, int> secretLengths)
    {
        var total = env.Sum(v => v.Key.Length + (v.Value?.Length ?? 0)) + secretLengths.Sum(s => s.Key.Length + s.Value);
        if (total <= MaxTotalLength) return;
        var error = $"Variables and secrets together are at most {MaxTotalLength} characters (names and values); this would make {total}.";
        if (env.Count > 0) errors.Add("env", error);
        if (secretLengths.Count > 0) errors.Add("secrets", error);
    }

    /// <summary>The secret lengths once <paramref name="changes"/> apply (a null value removes; null changes nothing).</summary>
    public static Dictionary<string, int> After(IReadOnlyDictionary<string, int> current, IReadOnlyDictionary<string, string?>? changes)
    {
        var lengths = new Dictionary<string, int>(current, StringComparer.Ordinal);
        foreach (var (name, value) in changes ?? new Dictionary<string, string?>())
        {
            if (value is null) lengths.Remove(name);
            else lengths[name] = value.Length;
        }
        return lengths;
    }
}
