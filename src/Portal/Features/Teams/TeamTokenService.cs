using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Tokens;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Users;

namespace Paddock.Portal.Features.Teams;

/// <summary>Tokens that belong to a team rather than a person, for CI and other machines; managed by its owners.</summary>
public sealed class TeamTokenService(PaddockDbContext db, AccessQueries access, AuditLog audit, TimeProvider clock)
{
    private const string OwnersOnly = "Only the team's owners can manage its tokens.";

    public async Task<Outcome<CreatedTokenView>> CreateAsync(Caller caller, string teamName, CreateTeamTokenRequest request, CancellationToken ct)
    {
        var (team, teamAccess) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        if (teamAccess < TeamAccess.Own) return Failure.Forbidden(OwnersOnly);

        var now = clock.GetUtcNow().UtcDateTime;
        var errors = new FieldErrors();
        TokenRules.CheckName(request.Name, errors);
        if (request.Scope is null) errors.Add("scope", "Required: Read or Deploy.");
        var expiresAt = TokenRules.ExpiryFor(request.ExpiresAt, now, errors);
        if (errors.Any) return errors.ToFailure();

        var (token, secret) = ApiToken.ForTeam(team.Id, request.Name!.Trim(), request.Scope!.Value, now, expiresAt, caller.Actor.Id);
        db.ApiTokens.Add(token);
        await audit.SaveChangesAsync(caller.Audit("token.created", "token", token.Id.ToString(), team.Id, null,
            before: null, after: TokenAuditSnapshot.From(token)), ct);
        return CreatedTokenView.From(token, secret);
    }

    public async Task<Outcome<IReadOnlyList<TokenView>>> ListAsync(Caller caller, string teamName, CancellationToken ct)
    {
        var (team, teamAccess) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        if (teamAccess < TeamAccess.Own) return Failure.Forbidden(OwnersOnly);
        var tokens = await db.ApiTokens.AsNoTracking().Where(t => t.TeamId == team.Id)
            .OrderByDescending(t => t.CreatedAt).ToListAsync(ct);
        return tokens.Select(TokenView.From).ToList();
    }

    /// <summary>Revokes the token; it stops working on the very next request. Revoking twice changes nothing.</summary>
    public async Task<Outcome<TokenView>> RevokeAsync(Caller caller, string teamName, Guid tokenId, CancellationToken ct)
    {
        var (team, teamAccess) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        if (teamAccess < TeamAccess.Own) return Failure.Forbidden(OwnersOnly);
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.TeamId == team.Id, ct);
        if (token is null) return Failure.NotFound($"Token '{tokenId}' of team '{teamName}'");
        if (token.RevokedAt is not null) return TokenView.From(token);

        var before = TokenAuditSnapshot.From(token);
        token.Revoke(clock.GetUtcNow().UtcDateTime);
        await audit.SaveChangesAsync(caller.Audit("token.revoked", "token", token.Id.ToString(), team.Id, null,
            before, after: TokenAuditSnapshot.From(token)), ct);
        return TokenView.From(token);
    }
}
