using Paddock.Domain.Tokens;

namespace Paddock.Domain.Tests.Tokens;

public sealed class ApiTokenTests
{
    private static readonly DateTime Now = new(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_new_token_has_at_least_128_random_bits_and_only_its_hash_is_kept()
    {
        var (token, secret) = ApiToken.ForUser(Guid.NewGuid(), "laptop", Now, null, "me");
        Assert.StartsWith(ApiToken.Prefix, secret);
        Assert.True(secret.Length - ApiToken.Prefix.Length >= 22, "base64url of at least 16 bytes");
        Assert.Equal(ApiToken.HashOf(secret), token.Hash);
        Assert.DoesNotContain(secret, token.Hash);
        Assert.Equal(secret[^4..], token.Hint);
    }

    [Fact]
    public void Two_tokens_never_share_a_secret()
    {
        var (_, first) = ApiToken.ForUser(Guid.NewGuid(), "a", Now, null, "me");
        var (_, second) = ApiToken.ForUser(Guid.NewGuid(), "a", Now, null, "me");
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_token_stops_working_when_revoked_or_expired()
    {
        var (token, _) = ApiToken.ForTeam(Guid.NewGuid(), "ci", TokenScope.Deploy, Now, Now.AddDays(1), "owner");
        Assert.True(token.IsUsableAt(Now));
        Assert.False(token.IsUsableAt(Now.AddDays(2)));
        token.Revoke(Now.AddHours(1));
        Assert.False(token.IsUsableAt(Now.AddHours(2)));
    }
}
