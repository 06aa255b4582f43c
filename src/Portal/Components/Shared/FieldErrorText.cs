namespace Paddock.Portal.Components.Shared;

/// <summary>The field errors a page received, as the inputs of its components show them.</summary>
public static class FieldErrorText
{
    /// <summary>All of the field's errors in one line, or null when it has none.</summary>
    public static string? MessageFor(this IDictionary<string, string[]> errors, string field) =>
        errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}
