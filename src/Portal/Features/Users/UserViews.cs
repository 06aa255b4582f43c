using Paddock.Domain.Access;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;
using Paddock.Persistence;

namespace Paddock.Portal.Features.Users;

public sealed record MembershipView(Guid TeamId, string Team, string TeamDisplayName, TeamRole Role);

public sealed record UserView(Guid Id, string Email, string DisplayName, bool IsPlatformAdmin, bool IsDisabled, DateTime CreatedAt)
{
    public static UserView From(PaddockUser user) =>
        new(user.Id, user.Email ?? "", user.DisplayName, user.IsPlatformAdmin, user.IsDisabled, user.CreatedAt);
}

public sealed record UserDetailView(
    Guid Id, string Email, string DisplayName, bool IsPlatformAdmin, bool IsDisabled, DateTime CreatedAt,
    IReadOnlyList<MembershipView> Teams);

/// <summary>The answer to creating a user: the only time <see cref="Password"/> is shown. Hand it over and
/// have them change it.</summary>
public sealed record CreatedUserView(UserDetailView User, string Password);

/// <summary>Who the caller is: a user (by cookie or personal token), or a team token with its team and scope.</summary>
public sealed record MeView(
    ActorKind Kind, Guid? UserId, string? Email, string? DisplayName, bool IsPlatformAdmin,
    IReadOnlyList<MembershipView> Teams, TeamTokenIdentity? Token);

public sealed record TeamTokenIdentity(Guid Id, string Name, Guid TeamId, string Team, TokenScope Scope);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record CreatePersonalTokenRequest(string? Name, DateTimeOffset? ExpiresAt);

/// <summary>A new user; <see cref="Team"/> and <see cref="Role"/> add them to a team at once (role defaults to Member).</summary>
public sealed record CreateUserRequest(string? Email, string? DisplayName, bool? IsPlatformAdmin, string? Team, TeamRole? Role);

/// <summary>Fields left null stay as they are.</summary>
public sealed record UpdateUserRequest(bool? IsDisabled, bool? IsPlatformAdmin, string? DisplayName);
