using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Users;

/// <summary>The rules every new token follows, personal or team: a name, and a bounded life so a
/// forgotten token does not stay valid forever.</summary>
public static class TokenRules
{
    public const int MaxNameLength = 200;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(90);
    public static readonly TimeSpan LongestLifetime = TimeSpan.FromDays(365);

    public static void CheckName(string? name, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(name)) errors.Add("name", "Required.");
        else if (name.Trim().Length > MaxNameLength) errors.Add("name", $"At most {MaxNameLength} characters.");
    }

    /// <summary>The expiry to store: <paramref name="requested"/>, or 90 days from now when none was asked for.</summary>
    public static DateTime ExpiryFor(DateTimeOffset? requested, DateTime now, FieldErrors errors)
    {
        if (requested is null) return now + DefaultLifetime;
        var at = requested.Value.UtcDateTime;
        if (at <= now) errors.Add("expiresAt", "Must be in the future.");
        else if (at > now + LongestLifetime) errors.Add("expiresAt", "At most one year from now.");
        return at;
    }
}
