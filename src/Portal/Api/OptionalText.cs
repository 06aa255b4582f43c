namespace Paddock.Portal.Api;

/// <summary>What users type into optional text fields and API properties.</summary>
public static class OptionalText
{
    /// <summary>Trimmed, or null when blank: a blank optional value means "none".</summary>
    public static string? OrNull(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
