using System.Text.RegularExpressions;

namespace Paddock.Domain.Applications;

/// <summary>Validation of container image references ([registry[:port]/]repo[/path][:tag][@sha256:digest]).</summary>
public static partial class ImageReference
{
    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static string? Check(string? image)
    {
        if (string.IsNullOrWhiteSpace(image)) return "Required.";
        if (image.Length > 512) return "At most 512 characters.";
        return Pattern().IsMatch(image) ? null : "Not a valid image reference (e.g. registry.example.com/team/app:1.2).";
    }
}
