using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Teams;
using Paddock.Persistence;
using Paddock.Portal.Api;

namespace Paddock.Portal.Features.Teams;

/// <summary>Reads that several team services answer with.</summary>
internal static class TeamQueries
{
    public static async Task<VersionedTeam> DetailsAsync(this PaddockDbContext db, Team team, CancellationToken ct)
    {
        var userIds = team.Members.Select(m => m.UserId).ToList();
        var people = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => (Email: u.Email ?? "", u.DisplayName), ct);
        var members = team.Members
            .OrderByDescending(m => m.Role).ThenBy(m => people.GetValueOrDefault(m.UserId).Email, StringComparer.Ordinal)
            .Select(m => ToView(m, people.GetValueOrDefault(m.UserId)))
            .ToList();
        var view = new TeamDetailView(team.Id, team.Name.Value, team.DisplayName, team.CreatedAt, members, QuotaView.Of(team.Quota), team.AllowedRegistries,
            ResourceQuotaView.Of(team.ResourceQuota));
        return new VersionedTeam(view, ETags.VersionOf(db, team));
    }

    /// <summary>Makes the coming save update the team row under its xmin check, so two membership changes racing
    /// each other (two owners removing one another) cannot both commit, and the team's ETag moves with its members.</summary>
    public static void GuardMembership(this PaddockDbContext db, Team team) =>
        db.Entry(team).Property(t => t.DisplayName).IsModified = true;

    public static TeamMemberView ToView(TeamMember member, PaddockUser user) =>
        ToView(member, (user.Email ?? "", user.DisplayName));

    private static TeamMemberView ToView(TeamMember member, (string Email, string DisplayName) person) =>
        new(member.UserId, person.Email, person.DisplayName, member.Role, member.AddedAt);
}
