using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Deployments;
using Paddock.Domain.Resources;
using Paddock.Persistence;

namespace Paddock.Portal.Features.Resources;

/// <summary>Checks a team's resource quota (<see cref="Domain.Teams.ResourceQuota"/>) before a change adds resources:
/// what the team's environments hold (every resource not yet deleted, retained ones included, since they still live on
/// their server) with the environment's resources replaced by what it would hold afterwards (what it holds and what
/// the workload declares, by name: removing a resource from a workload does not delete it). Deployments still queued
/// hold nothing yet, so two changes at the same moment can both pass; the quota is a budget, not a lock.</summary>
public sealed class ResourceQuotas(PaddockDbContext db)
{
    /// <summary>Null when the team stays within its quota once <paramref name="environmentId"/> holds
    /// <paramref name="wanted"/>; else the reason, naming the quota.</summary>
    public async Task<string?> CheckAsync(Guid teamId, Guid environmentId, IReadOnlyList<SnapshotResource> wanted, CancellationToken ct)
    {
        var team = await db.Teams.AsNoTracking().Where(t => t.Id == teamId).Select(t => new { t.Name, t.ResourceQuota }).FirstAsync(ct);
        if (team.ResourceQuota is not { } quota) return null;

        var held = await (
            from resource in db.EnvironmentResources.AsNoTracking()
            join environment in db.Environments on resource.EnvironmentId equals environment.Id
            join app in db.Applications on environment.ApplicationId equals app.Id
            where app.TeamId == teamId && resource.Status != ResourceStatus.Deleted
            select new { resource.EnvironmentId, resource.Name, resource.Type }).ToListAsync(ct);
        var elsewhere = held.Where(r => r.EnvironmentId != environmentId).Select(r => r.Type).ToList();
        var here = held.Where(r => r.EnvironmentId == environmentId).Select(r => (r.Name, r.Type))
            .Concat(wanted.Select(r => (r.Name, r.Type)))
            .DistinctBy(r => r.Name, StringComparer.Ordinal)
            .Select(r => r.Type)
            .ToList();
        var after = elsewhere.Concat(here).ToList();
        return quota.Exceeded(team.Name.Value, after.Count(type => type == DatabaseType), after.Count);
    }

    /// <summary>The type the quota's <c>databases</c> counts.</summary>
    public const string DatabaseType = "postgres";
}
