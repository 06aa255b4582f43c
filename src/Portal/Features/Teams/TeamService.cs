using Paddock.Domain.Registries;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Names;
using Paddock.Domain.Teams;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;

namespace Paddock.Portal.Features.Teams;

/// <summary>Creating, listing, reading and renaming teams.</summary>
public sealed class TeamService(PaddockDbContext db, AccessQueries access, AuditLog audit, RegistryPolicy registryPolicy, TimeProvider clock)
{
    public const int MaxDisplayNameLength = 200;

    public async Task<Outcome<VersionedTeam>> CreateAsync(Caller caller, CreateTeamRequest request, CancellationToken ct)
    {
        if (caller.Actor is not { Kind: ActorKind.User, UserId: { } creatorId })
            return Failure.Forbidden("Only people create teams; a team token cannot.");
        var errors = new FieldErrors();
        errors.Add("name", TeamName.Check(request.Name));
        errors.Add("displayName", CheckDisplayName(request.DisplayName, required: false));
        if (errors.Any) return errors.ToFailure();

        var name = TeamName.Parse(request.Name!);
        // Names are platform-wide (they become namespaces), so a name taken by a team the caller cannot see is still taken.
        if (await db.Teams.AnyAsync(t => t.Name == name, ct)) return NameTaken(name);

        var now = clock.GetUtcNow().UtcDateTime;
        var team = new Team(name, request.DisplayName, now);
        team.SetMember(creatorId, TeamRole.Owner, now);
        db.Teams.Add(team);
        try
        {
            await audit.SaveChangesAsync(caller.Audit("team.created", "team", team.Id.ToString(), team.Id, null,
                before: null, after: new { name = name.Value, team.DisplayName, owner = creatorId }), ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return NameTaken(name);
        }
        return await db.DetailsAsync(team, ct);
    }

    public async Task<Outcome<IReadOnlyList<TeamView>>> ListAsync(Caller caller, CancellationToken ct)
    {
        var visible = await access.VisibleTeamIdsAsync(caller.Actor, ct);
        var teams = await db.Teams.AsNoTracking()
            .Where(t => visible == null || visible.Contains(t.Id))
            .OrderBy(t => t.Name)
            .ToListAsync(ct);
        return teams.Select(TeamView.From).ToList();
    }

    public async Task<Outcome<VersionedTeam>> GetAsync(Caller caller, string teamName, CancellationToken ct)
    {
        var (team, _) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        return await db.DetailsAsync(team, ct);
    }

    /// <summary>Changes the display name and the environments' quota; the name itself never changes, because other
    /// systems know the team by it. A new quota reaches an environment with its next deployment.</summary>
    public async Task<Outcome<VersionedTeam>> UpdateAsync(Caller caller, string teamName, UpdateTeamRequest request, uint? expectedVersion, CancellationToken ct)
    {
        var (team, teamAccess) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        if (teamAccess < TeamAccess.Own) return Failure.Forbidden("Only the team's owners can change it.");

        var errors = new FieldErrors();
        if (request.Name is not null && request.Name != team.Name.Value)
            errors.Add("name", "A team's name cannot change; create a new team instead.");
        if (request.DisplayName is not null) errors.Add("displayName", CheckDisplayName(request.DisplayName, required: true));
        if (request.Quota is not null) errors.Add("quota", request.Quota.Check());
        if (request.ResourceQuota is not null)
        {
            // A quota the team could lift itself would limit nothing.
            if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden("Only platform admins can change a team's resource quota.");
            errors.Add("resourceQuota", request.ResourceQuota.ToQuota().Check());
        }
        if (request.AllowedRegistries is not null)
            errors.Add("allowedRegistries", RegistryAllowList.CheckTeamList(request.AllowedRegistries, registryPolicy.Platform));
        if (errors.Any) return errors.ToFailure();
        if (!ETags.Expect(db, team, expectedVersion)) return Failure.PreconditionFailed();

        var before = new { team.DisplayName, quota = QuotaView.Of(team.Quota), allowedRegistries = team.AllowedRegistries, resourceQuota = ResourceQuotaView.Of(team.ResourceQuota) };
        if (request.DisplayName is not null) team.Rename(request.DisplayName);
        if (request.Quota is not null) team.SetQuota(request.Quota.ToQuota());
        if (request.AllowedRegistries is not null) team.SetAllowedRegistries(request.AllowedRegistries);
        if (request.ResourceQuota is not null) team.SetResourceQuota(request.ResourceQuota.ToQuota());
        if (!db.ChangeTracker.HasChanges()) return await db.DetailsAsync(team, ct);
        try
        {
            await audit.SaveChangesAsync(caller.Audit("team.updated", "team", team.Id.ToString(), team.Id, null,
                before, after: new { team.DisplayName, quota = QuotaView.Of(team.Quota), allowedRegistries = team.AllowedRegistries,
                    resourceQuota = ResourceQuotaView.Of(team.ResourceQuota) }), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.PreconditionFailed();
        }
        return await db.DetailsAsync(team, ct);
    }

    private static string? CheckDisplayName(string? displayName, bool required)
    {
        if (string.IsNullOrWhiteSpace(displayName)) return required ? "Required." : null;
        return displayName.Trim().Length > MaxDisplayNameLength ? $"At most {MaxDisplayNameLength} characters." : null;
    }

    private static Failure NameTaken(TeamName name) =>
        Failure.Conflict("name", $"The team name '{name.Value}' is taken; team names are unique across Paddock.");
}
