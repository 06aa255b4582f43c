using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Users;

namespace Paddock.Portal.Features.Teams;

/// <summary>Who belongs to a team and in which role; managed by the team's owners.</summary>
public sealed class TeamMemberService(PaddockDbContext db, AccessQueries access, UserLookup people, AuditLog audit, TimeProvider clock)
{
    private const string ChangedMeanwhile = "The team's members changed at the same time; reload the team and try again.";

    /// <summary>Adds the user to the team, or changes their role when they already belong to it.</summary>
    public async Task<Outcome<MemberChange>> SetAsync(Caller caller, string teamName, SetMemberRequest request, CancellationToken ct)
    {
        var (team, teamAccess) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        if (teamAccess < TeamAccess.Own) return Failure.Forbidden("Only the team's owners can manage its members.");

        var errors = new FieldErrors();
        var userField = request.UserId is not null ? "userId" : "email";
        var user = await people.FindAsync(request.UserId?.ToString() ?? request.Email);
        if (request.UserId is null && string.IsNullOrWhiteSpace(request.Email)) errors.Add("email", "Give the user's email or userId.");
        else if (user is null) errors.Add(userField, "No user with this email or id exists.");
        if (request.Role is null) errors.Add("role", "Required: Owner, Member or Viewer.");
        if (errors.Any) return errors.ToFailure();

        var role = request.Role!.Value;
        var existing = team.MemberFor(user!.Id);
        if (existing?.Role == role) return new MemberChange(TeamQueries.ToView(existing, user), Added: false);
        if (team.RefusalToSetRole(user.Id, role) is { } refusal) return Failure.Conflict(refusal);

        var before = existing is null ? null : new { userId = user.Id, user.Email, existing.Role };
        var member = team.SetMember(user.Id, role, clock.GetUtcNow().UtcDateTime);
        var action = existing is null ? "team.member_added" : "team.member_role_changed";
        db.GuardMembership(team);
        try
        {
            await audit.SaveChangesAsync(caller.Audit(action, "team_member", user.Id.ToString(), team.Id, null,
                before, after: new { userId = user.Id, user.Email, member.Role }), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict(ChangedMeanwhile);
        }
        return new MemberChange(TeamQueries.ToView(member, user), Added: existing is null);
    }

    /// <summary>Removes the user (by email or id) from the team; refuses to remove its last owner.</summary>
    public async Task<Outcome<TeamMemberView>> RemoveAsync(Caller caller, string teamName, string? emailOrId, CancellationToken ct)
    {
        var (team, teamAccess) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        if (teamAccess < TeamAccess.Own) return Failure.Forbidden("Only the team's owners can manage its members.");
        if (string.IsNullOrWhiteSpace(emailOrId)) return Failure.Invalid("user", "Give the user's email or id.");
        var user = await people.FindAsync(emailOrId);
        if (user is null) return Failure.Invalid("user", "No user with this email or id exists.");
        var member = team.MemberFor(user.Id);
        if (member is null) return Failure.NotFound($"A member '{emailOrId}' of team '{teamName}'");

        var removed = TeamQueries.ToView(member, user);
        if (!team.RemoveMember(user.Id, out var refusal)) return Failure.Conflict(refusal!);
        db.GuardMembership(team);
        try
        {
            await audit.SaveChangesAsync(caller.Audit("team.member_removed", "team_member", user.Id.ToString(), team.Id, null,
                before: new { userId = user.Id, user.Email, removed.Role }, after: null), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict(ChangedMeanwhile);
        }
        return removed;
    }
}
