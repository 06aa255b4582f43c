using Paddock.Domain.Tokens;

namespace Paddock.Portal.Features.Users;

/// <summary>A token as listed: never the secret, only its last four characters to tell tokens apart.</summary>
public sealed record TokenView(
    Guid Id, string Name, TokenScope? Scope, string Hint,
    DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt)
{
    public static TokenView From(ApiToken token) => new(
        token.Id, token.Name, token.Scope, token.Hint, token.CreatedAt, token.ExpiresAt, token.RevokedAt, token.LastUsedAt);
}

/// <summary>The answer to creating a token: the only time <see cref="Token"/> (the secret) is shown.</summary>
public sealed record CreatedTokenView(
    Guid Id, string Name, TokenScope? Scope, string Hint, DateTime CreatedAt, DateTime? ExpiresAt, string Token)
{
    public static CreatedTokenView From(ApiToken token, string secret) => new(
        token.Id, token.Name, token.Scope, token.Hint, token.CreatedAt, token.ExpiresAt, secret);
}

/// <summary>What the audit trail records about a token: who it belongs to and what it may do, never the secret.</summary>
public sealed record TokenAuditSnapshot(string Name, Guid? UserId, Guid? TeamId, TokenScope? Scope, DateTime? ExpiresAt, DateTime? RevokedAt)
{
    public static TokenAuditSnapshot From(ApiToken token) =>
        new(token.Name, token.UserId, token.TeamId, token.Scope, token.ExpiresAt, token.RevokedAt);
}
