using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Paddock.Persistence;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Users;

internal static class UserQueries
{
    public const int MaxDisplayNameLength = 200;

    public static async Task<List<MembershipView>> MembershipsAsync(this PaddockDbContext db, Guid userId, CancellationToken ct)
    {
        var rows = await db.TeamMembers.AsNoTracking().Where(m => m.UserId == userId)
            .Join(db.Teams, m => m.TeamId, t => t.Id, (m, t) => new { m.Role, t.Id, t.Name, t.DisplayName })
            .OrderBy(x => x.Name)
            .ToListAsync(ct);
        return rows.Select(x => new MembershipView(x.Id, x.Name.Value, x.DisplayName, x.Role)).ToList();
    }

    public static async Task<UserDetailView> DetailsAsync(this PaddockDbContext db, PaddockUser user, CancellationToken ct) =>
        new(user.Id, user.Email ?? "", user.DisplayName, user.IsPlatformAdmin, user.IsDisabled, user.CreatedAt,
            await db.MembershipsAsync(user.Id, ct));

    public static string? CheckDisplayName(string? displayName, bool required)
    {
        if (string.IsNullOrWhiteSpace(displayName)) return required ? "Required." : null;
        return displayName.Trim().Length > MaxDisplayNameLength ? $"At most {MaxDisplayNameLength} characters." : null;
    }

    /// <summary>Identity's refusals as field errors, or as a conflict when the email is taken.</summary>
    public static Failure ToFailure(this IdentityResult result, string passwordField)
    {
        if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
            return Failure.Conflict("email", "A user with this email already exists.");
        var errors = new FieldErrors();
        foreach (var error in result.Errors)
        {
            var field = error.Code switch
            {
                "PasswordMismatch" => "currentPassword",
                "InvalidEmail" or "InvalidUserName" => "email",
                _ when error.Code.StartsWith("Password", StringComparison.Ordinal) => passwordField,
                _ => "",
            };
            errors.Add(field, error.Code == "PasswordMismatch" ? "The current password is wrong." : error.Description);
        }
        return errors.ToFailure();
    }
}
