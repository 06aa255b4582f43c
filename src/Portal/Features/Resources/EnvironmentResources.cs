using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Environments;

namespace Paddock.Portal.Features.Resources;

/// <summary>The resources of one environment, for whoever may see the environment, in provisioning order; deleted
/// ones are left out once gone.</summary>
public sealed class EnvironmentResources(PaddockDbContext db, EnvironmentLookup lookup)
{
    public async Task<Outcome<IReadOnlyList<EnvironmentResourceView>>> ListAsync(Caller caller, string appName, string envName, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;
        return Outcome<IReadOnlyList<EnvironmentResourceView>>.Ok(await ListAsync(target.Env.Id, ct));
    }

    public async Task<IReadOnlyList<EnvironmentResourceView>> ListAsync(Guid environmentId, CancellationToken ct)
    {
        var resources = await db.EnvironmentResources.AsNoTracking()
            .Where(r => r.EnvironmentId == environmentId && r.Status != ResourceStatus.Deleted)
            .OrderBy(r => r.Position).ThenBy(r => r.Name)
            .ToListAsync(ct);
        return resources.Select(EnvironmentResourceView.Of).ToList();
    }
}
