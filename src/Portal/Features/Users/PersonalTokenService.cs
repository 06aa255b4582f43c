using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Tokens;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Users;

/// <summary>A user's own API tokens, which act as that user. Team tokens cannot reach them.</summary>
public sealed class PersonalTokenService(PaddockDbContext db, AuditLog audit, TimeProvider clock)
{
    private const string UsersOnly = "Only a user manages personal tokens; a team token cannot.";

    public async Task<Outcome<CreatedTokenView>> CreateAsync(Caller caller, CreatePersonalTokenRequest request, CancellationToken ct)
    {
        if (caller.Actor is not { Kind: ActorKind.User, UserId: { } userId }) return Failure.Forbidden(UsersOnly);
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = new FieldErrors();
        TokenRules.CheckName(request.Name, errors);
        var expiresAt = TokenRules.ExpiryFor(request.ExpiresAt, now, errors);
        if (errors.Any) return errors.ToFailure();

        var (token, secret) = ApiToken.ForUser(userId, request.Name!.Trim(), now, expiresAt, caller.Actor.Id);
        db.ApiTokens.Add(token);
        await audit.SaveChangesAsync(caller.Audit("token.created", "token", token.Id.ToString(), null, null,
            before: null, after: TokenAuditSnapshot.From(token)), ct);
        return CreatedTokenView.From(token, secret);
    }

    public async Task<Outcome<IReadOnlyList<TokenView>>> ListAsync(Caller caller, CancellationToken ct)
    {
        if (caller.Actor is not { Kind: ActorKind.User, UserId: { } userId }) return Failure.Forbidden(UsersOnly);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        return tokens.Select(TokenView.From).ToList();
    }

    /// <summary>Revokes one of the caller's tokens; someone else's token answers 404. Revoking twice changes nothing.</summary>
    public async Task<Outcome<TokenView>> RevokeAsync(Caller caller, Guid tokenId, CancellationToken ct)
    {
        if (caller.Actor is not { Kind: ActorKind.User, UserId: { } userId }) return Failure.Forbidden(UsersOnly);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, ct);
        if (token is null) return Failure.NotFound($"Token '{tokenId}'");
        if (token.RevokedAt is not null) return TokenView.From(token);

        var before = TokenAuditSnapshot.From(token);
        token.Revoke(clock.GetUtcNow().UtcDateTime);
        await audit.SaveChangesAsync(caller.Audit("token.revoked", "token", token.Id.ToString(), null, null,
            before, after: TokenAuditSnapshot.From(token)), ct);
        return TokenView.From(token);
    }
}
