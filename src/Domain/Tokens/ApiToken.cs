using System.Security.Cryptography;
using System.Text;

namespace Paddock.Domain.Tokens;

public enum TokenScope
{
    Read = 0,
    Deploy = 1,
}

/// <summary>A bearer token for the API. Personal tokens act as their user; team tokens belong to a team
/// (for CI and other machines) and carry a scope. Only a SHA-256 hash of the secret is stored.</summary>
public sealed class ApiToken
{
    /// <summary>Every token starts with this, so secret scanners and people can recognise one.</summary>
    public const string Prefix = "pdk_";

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public Guid? UserId { get; private set; }
    public Guid? TeamId { get; private set; }
    public TokenScope? Scope { get; private set; }
    public string Hash { get; private set; } = "";
    public string Hint { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime? ExpiresAt { get; private set; }
    public DateTime? RevokedAt { get; private set; }
    public DateTime? LastUsedAt { get; private set; }

    private ApiToken() { }

    private ApiToken(string name, Guid? userId, Guid? teamId, TokenScope? scope, string hash, string hint, DateTime createdAt, string createdBy, DateTime? expiresAt)
    {
        Id = Guid.CreateVersion7();
        Name = name;
        UserId = userId;
        TeamId = teamId;
        Scope = scope;
        Hash = hash;
        Hint = hint;
        CreatedAt = createdAt;
        CreatedBy = createdBy;
        ExpiresAt = expiresAt;
    }

    public bool IsTeamToken => TeamId is not null;

    /// <summary>Creates a personal token; the returned secret is shown once and never stored.</summary>
    public static (ApiToken Token, string Secret) ForUser(Guid userId, string name, DateTime now, DateTime? expiresAt, string createdBy)
    {
        var secret = NewSecret();
        return (new ApiToken(name, userId, null, null, HashOf(secret), secret[^4..], now, createdBy, expiresAt), secret);
    }

    public static (ApiToken Token, string Secret) ForTeam(Guid teamId, string name, TokenScope scope, DateTime now, DateTime? expiresAt, string createdBy)
    {
        var secret = NewSecret();
        return (new ApiToken(name, null, teamId, scope, HashOf(secret), secret[^4..], now, createdBy, expiresAt), secret);
    }

    public bool IsUsableAt(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public void Revoke(DateTime at) => RevokedAt ??= at;

    public void MarkUsed(DateTime at) => LastUsedAt = at;

    /// <summary>256 random bits, URL-safe.</summary>
    private static string NewSecret() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string HashOf(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
