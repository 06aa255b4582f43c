using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Applications;
using Paddock.Domain.Teams;
using Paddock.Persistence;

namespace Paddock.Portal.Features.Access;

/// <summary>Loads a team or app together with what the caller may do with it. Callers answer 404 for
/// <see cref="TeamAccess.None"/>: another team's resources do not exist for them.</summary>
public sealed class AccessQueries(PaddockDbContext db)
{
    /// <summary>The caller's team memberships (none for a token or an anonymous caller), to read alone or inside a
    /// larger query.</summary>
    public IQueryable<TeamMember> MembershipsOf(Actor actor)
    {
        var userId = actor.UserId ?? Guid.Empty;
        return db.TeamMembers.Where(m => m.UserId == userId);
    }

    public async Task<TeamRole?> RoleInAsync(Actor actor, Guid teamId, CancellationToken ct) =>
        await MembershipsOf(actor).Where(m => m.TeamId == teamId).Select(m => (TeamRole?)m.Role).FirstOrDefaultAsync(ct);

    public async Task<TeamAccess> AccessToTeamAsync(Actor actor, Guid teamId, CancellationToken ct) =>
        TeamAccessRules.For(actor, teamId, await RoleInAsync(actor, teamId, ct));

    /// <summary>The team by name (tracked, with members) and the caller's access; (null, None) when hidden or missing.</summary>
    public async Task<(Team? Team, TeamAccess Access)> TeamAsync(Actor actor, string teamName, CancellationToken ct)
    {
        var team = await db.Teams.Include(t => t.Members).FirstOrDefaultAsync(t => t.Name == Domain.Names.TeamName.FromTrusted(teamName), ct);
        if (team is null) return (null, TeamAccess.None);
        var access = TeamAccessRules.For(actor, team.Id, team.MemberFor(actor.UserId ?? Guid.Empty)?.Role);
        return access == TeamAccess.None ? (null, TeamAccess.None) : (team, access);
    }

    /// <summary>The live (not deleted) app by name (tracked) and the caller's access to its team.</summary>
    public async Task<(Application? App, TeamAccess Access)> AppAsync(Actor actor, string appName, CancellationToken ct)
    {
        var app = await db.Applications.FirstOrDefaultAsync(a => a.Name == Domain.Names.AppName.FromTrusted(appName) && a.DeletedAt == null, ct);
        if (app is null) return (null, TeamAccess.None);
        var access = await AccessToTeamAsync(actor, app.TeamId, ct);
        return access == TeamAccess.None ? (null, TeamAccess.None) : (app, access);
    }

    /// <summary>Ids of the teams the caller can see; null means all (platform admin).</summary>
    public async Task<List<Guid>?> VisibleTeamIdsAsync(Actor actor, CancellationToken ct)
    {
        if (actor.IsPlatformAdmin) return null;
        if (actor.TeamId is { } tokenTeam) return [tokenTeam];
        if (actor.UserId is not { } userId) return [];
        return await db.TeamMembers.Where(m => m.UserId == userId).Select(m => m.TeamId).ToListAsync(ct);
    }
}
