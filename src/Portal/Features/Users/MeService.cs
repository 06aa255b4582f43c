using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Tokens;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Users;

/// <summary>What callers do about themselves: who am I, change my password.</summary>
public sealed class MeService(PaddockDbContext db, UserManager<PaddockUser> users, AuditLog audit)
{
    public async Task<Outcome<MeView>> GetAsync(Caller caller, CancellationToken ct)
    {
        var actor = caller.Actor;
        if (actor is { Kind: ActorKind.TeamToken, TokenId: { } tokenId, TeamId: { } teamId })
        {
            var token = await db.ApiTokens.AsNoTracking().FirstAsync(t => t.Id == tokenId, ct);
            var team = await db.Teams.AsNoTracking().FirstAsync(t => t.Id == teamId, ct);
            var identity = new TeamTokenIdentity(token.Id, token.Name, team.Id, team.Name.Value, actor.Scope ?? TokenScope.Read);
            return new MeView(actor.Kind, null, null, null, false, [], identity);
        }
        if (actor.UserId is not { } userId) return Failure.Forbidden("Only signed-in users and tokens have a profile.");
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == userId, ct);
        return new MeView(actor.Kind, user.Id, user.Email, user.DisplayName, user.IsPlatformAdmin, await db.MembershipsAsync(userId, ct), null);
    }

    /// <summary>Changes the caller's password. The security stamp changes with it, which ends the user's other
    /// cookie sessions on their next request.</summary>
    public async Task<Outcome<PaddockUser>> ChangePasswordAsync(Caller caller, ChangePasswordRequest request, CancellationToken ct)
    {
        if (caller.Actor is not { Kind: ActorKind.User, UserId: { } userId })
            return Failure.Forbidden("Only a user can change their password; a team token has none.");
        var errors = new FieldErrors();
        if (string.IsNullOrEmpty(request.CurrentPassword)) errors.Add("currentPassword", "Required.");
        if (string.IsNullOrEmpty(request.NewPassword)) errors.Add("newPassword", "Required.");
        if (errors.Any) return errors.ToFailure();

        var user = await users.FindByIdAsync(userId.ToString());
        if (user is null) return Failure.NotFound("Your user");
        // Identity stops at a wrong current password without looking at the new one: check both first, so that one
        // attempt is told everything that is wrong with it.
        var problems = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
            problems.AddRange((await validator.ValidateAsync(users, user, request.NewPassword!)).Errors);
        if (!await users.CheckPasswordAsync(user, request.CurrentPassword!))
            problems.Add(new IdentityError { Code = "PasswordMismatch", Description = "The current password is wrong." });
        if (problems.Count > 0) return IdentityResult.Failed([.. problems]).ToFailure(passwordField: "newPassword");
        // The user manager saves on its own; one transaction keeps the change and its audit event together.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var changed = await users.ChangePasswordAsync(user, request.CurrentPassword!, request.NewPassword!);
        if (!changed.Succeeded) return changed.ToFailure(passwordField: "newPassword");
        await audit.SaveChangesAsync(caller.Audit("user.password_changed", "user", user.Id.ToString(), null, null, null, null), ct);
        await transaction.CommitAsync(ct);
        return user;
    }
}
