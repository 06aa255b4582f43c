using Paddock.Domain.Tokens;

namespace Paddock.Domain.Access;

public enum ActorKind
{
    Anonymous = 0,
    User = 1,
    TeamToken = 2,
    System = 3,
}

/// <summary>Who is acting: a signed-in user (by cookie or personal token), a team token, or Paddock itself.
/// <see cref="Id"/> is what the audit trail records (user id, token id, or e.g. <c>system:reconciler</c>).</summary>
public sealed record Actor(
    ActorKind Kind,
    string Id,
    string Name,
    Guid? UserId = null,
    Guid? TokenId = null,
    Guid? TeamId = null,
    TokenScope? Scope = null,
    bool IsPlatformAdmin = false)
{
    public static Actor Anonymous { get; } = new(ActorKind.Anonymous, "anonymous", "anonymous");

    public static Actor System(string component) => new(ActorKind.System, $"system:{component}", $"system:{component}");

    public static Actor ForUser(Guid userId, string name, bool isPlatformAdmin, Guid? viaTokenId = null) =>
        new(ActorKind.User, userId.ToString(), name, UserId: userId, TokenId: viaTokenId, IsPlatformAdmin: isPlatformAdmin);

    public static Actor ForTeamToken(Guid tokenId, string name, Guid teamId, TokenScope scope) =>
        new(ActorKind.TeamToken, $"token:{tokenId}", name, TokenId: tokenId, TeamId: teamId, Scope: scope);

    public bool IsAuthenticated => Kind != ActorKind.Anonymous;
}
