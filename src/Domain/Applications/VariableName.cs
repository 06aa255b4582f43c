using System.Text.RegularExpressions;

namespace Paddock.Domain.Applications;

/// <summary>Rules for environment variable and secret names and values.</summary>
public static partial class VariableName
{
    public const int MaxValueLength = 32 * 1024;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static string? Check(string? name) =>
        name is not null && Pattern().IsMatch(name) ? null : $"'{name}' is not a valid variable name (letters, digits and '_', not starting with a digit).";

    /// <summary>Null when <paramref name="value"/> can be passed to a process's environment; control characters other
    /// than tab, line feed and carriage return cannot (an engine refuses a NUL, and quotes the value in its refusal).</summary>
    public static string? CheckValue(string value) =>
        value.Any(c => c is < '\u0020' and not '\t' and not '\n' and not '\r')
            ? "Values cannot contain control characters (other than tab, line feed and carriage return)."
            : null;

    /// <summary>Checks every name and value; returns field-keyed errors (empty when valid).</summary>
    public static Dictionary<string, string> CheckAll(IReadOnlyDictionary<string, string>? variables, string field)
    {
        var errors = new Dictionary<string, string>();
        if (variables is null) return errors;
        foreach (var (name, value) in variables)
        {
            if (Check(name) is { } nameError) errors[$"{field}.{name}"] = nameError;
            else if (value is null) errors[$"{field}.{name}"] = "A value is required (use an empty string for none).";
            else if (value.Length > MaxValueLength) errors[$"{field}.{name}"] = $"Values are at most {MaxValueLength} characters.";
            else if (CheckValue(value) is { } valueError) errors[$"{field}.{name}"] = valueError;
        }
        return errors;
    }
}
