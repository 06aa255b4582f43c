using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Names;
using Paddock.Domain.Teams;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Users;

/// <summary>Platform admins manage accounts: list, create (with a one-time password), disable, grant admin.</summary>
public sealed class UserAdminService(PaddockDbContext db, UserManager<PaddockUser> users, AuditLog audit, TimeProvider clock)
{
    private const string AdminsOnly = "Only platform admins manage users.";

    public async Task<Outcome<IReadOnlyList<UserView>>> ListAsync(Caller caller, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        var all = await db.Users.AsNoTracking().OrderBy(u => u.Email).ToListAsync(ct);
        return all.Select(UserView.From).ToList();
    }

    public async Task<Outcome<UserDetailView>> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? Failure.NotFound($"User '{id}'") : await db.DetailsAsync(user, ct);
    }

    /// <summary>Creates the account with a generated password, shown once, and optionally adds it to a team.</summary>
    public async Task<Outcome<CreatedUserView>> CreateAsync(Caller caller, CreateUserRequest request, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.Email)) errors.Add("email", "Required.");
        errors.Add("displayName", UserQueries.CheckDisplayName(request.DisplayName, required: false));
        Team? team = null;
        if (request.Team is not null)
        {
            team = await db.Teams.Include(t => t.Members).FirstOrDefaultAsync(t => t.Name == TeamName.FromTrusted(request.Team), ct);
            if (team is null) errors.Add("team", $"No team '{request.Team}' exists.");
        }
        else if (request.Role is not null) errors.Add("team", "Give the team the role is for.");
        if (errors.Any) return errors.ToFailure();

        var email = request.Email!.Trim();
        if (await users.FindByEmailAsync(email) is not null) return Failure.Conflict("email", "A user with this email already exists.");
        var now = clock.GetUtcNow().UtcDateTime;
        var user = new PaddockUser
        {
            UserName = email, Email = email, EmailConfirmed = true, CreatedAt = now,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email : request.DisplayName.Trim(),
            IsPlatformAdmin = request.IsPlatformAdmin ?? false,
        };
        var password = NewPassword();
        var role = request.Role ?? TeamRole.Member;

        // The user manager saves on its own; one transaction keeps the account, its membership and the audit event together.
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        IdentityResult created;
        try
        {
            created = await users.CreateAsync(user, password);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Failure.Conflict("email", "A user with this email already exists.");
        }
        if (!created.Succeeded) return created.ToFailure(passwordField: "password");
        team?.SetMember(user.Id, role, now);
        await audit.SaveChangesAsync(caller.Audit("user.created", "user", user.Id.ToString(), team?.Id, null, before: null,
            after: new { user.Email, user.DisplayName, user.IsPlatformAdmin, team = team?.Name.Value, role = team is null ? (TeamRole?)null : role }), ct);
        await transaction.CommitAsync(ct);
        return new CreatedUserView(await db.DetailsAsync(user, ct), password);
    }

    /// <summary>Changes the fields given. Disabling also changes the security stamp, so the user's sessions and
    /// tokens stop working on their next request. Admins cannot lock themselves out.</summary>
    public async Task<Outcome<UserDetailView>> UpdateAsync(Caller caller, Guid id, UpdateUserRequest request, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        var user = await users.FindByIdAsync(id.ToString());
        if (user is null) return Failure.NotFound($"User '{id}'");

        var errors = new FieldErrors();
        var self = caller.Actor.UserId == id;
        if (self && request.IsDisabled == true) errors.Add("isDisabled", "You cannot disable yourself; ask another platform admin.");
        if (self && request.IsPlatformAdmin == false) errors.Add("isPlatformAdmin", "You cannot remove your own admin rights; ask another platform admin.");
        if (request.DisplayName is not null) errors.Add("displayName", UserQueries.CheckDisplayName(request.DisplayName, required: true));
        if (errors.Any) return errors.ToFailure();

        var before = UserView.From(user);
        user.IsDisabled = request.IsDisabled ?? user.IsDisabled;
        user.IsPlatformAdmin = request.IsPlatformAdmin ?? user.IsPlatformAdmin;
        user.DisplayName = request.DisplayName?.Trim() ?? user.DisplayName;
        var after = UserView.From(user);
        if (after == before) return await db.DetailsAsync(user, ct);

        var disabling = !before.IsDisabled && after.IsDisabled;
        var action = disabling ? "user.disabled" : before.IsDisabled && !after.IsDisabled ? "user.enabled" : "user.updated";
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var saved = disabling ? await users.UpdateSecurityStampAsync(user) : await users.UpdateAsync(user);
        if (!saved.Succeeded) return Failure.Conflict(string.Join(" ", saved.Errors.Select(e => e.Description)));
        await audit.SaveChangesAsync(caller.Audit(action, "user", user.Id.ToString(), null, null, before, after), ct);
        await transaction.CommitAsync(ct);
        return await db.DetailsAsync(user, ct);
    }

    /// <summary>24 random bytes: 32 URL-safe characters, well past the password rules.</summary>
    private static string NewPassword() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
