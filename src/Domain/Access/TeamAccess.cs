using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;

namespace Paddock.Domain.Access;

/// <summary>What an actor may do in one team, from least to most.</summary>
public enum TeamAccess
{
    /// <summary>Not a member: the team's resources do not exist for this actor (404, never 403).</summary>
    None = 0,
    /// <summary>Viewer role or a read-scoped team token.</summary>
    Read = 1,
    /// <summary>Deploy-scoped team token: read, deploy and roll back.</summary>
    Deploy = 2,
    /// <summary>Member role: everything in the team's apps and environments.</summary>
    Manage = 3,
    /// <summary>Owner role or platform admin: also members, team tokens and the team itself.</summary>
    Own = 4,
}

public static class TeamAccessRules
{
    /// <summary>Decides an actor's access to a team from their membership role (null when not a member).</summary>
    public static TeamAccess For(Actor actor, Guid teamId, TeamRole? membershipRole)
    {
        if (actor.IsPlatformAdmin) return TeamAccess.Own;
        return actor.Kind switch
        {
            ActorKind.User => membershipRole switch
            {
                TeamRole.Owner => TeamAccess.Own,
                TeamRole.Member => TeamAccess.Manage,
                TeamRole.Viewer => TeamAccess.Read,
                _ => TeamAccess.None,
            },
            ActorKind.TeamToken when actor.TeamId == teamId =>
                actor.Scope == TokenScope.Deploy ? TeamAccess.Deploy : TeamAccess.Read,
            ActorKind.System => TeamAccess.Own,
            _ => TeamAccess.None,
        };
    }
}
