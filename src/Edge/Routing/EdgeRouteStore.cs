using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;

namespace Paddock.Edge.Routing;

/// <summary>Reads the edge's rows and writes its acknowledgements.</summary>
internal sealed class EdgeRouteStore(IDbContextFactory<PaddockDbContext> contexts)
{
    public async Task<IReadOnlyList<EdgeRouteRow>> ReadAllAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await Project(db.EdgeRoutes.AsNoTracking()).ToListAsync(ct);
    }

    public async Task<IReadOnlyList<EdgeRouteRow>> ReadAsync(IReadOnlyCollection<Guid> environmentIds, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var ids = environmentIds.ToArray();
        return await Project(db.EdgeRoutes.AsNoTracking().Where(r => ids.Contains(r.EnvironmentId))).ToListAsync(ct);
    }

    /// <summary>The <c>route</c> resources' host routes: all of them, or those of the given environments.</summary>
    public async Task<IReadOnlyList<EdgePathRoute>> ReadPathRoutesAsync(IReadOnlyCollection<Guid>? environmentIds, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var routes = db.HostRoutes.AsNoTracking();
        if (environmentIds is not null)
        {
            var ids = environmentIds.ToArray();
            routes = routes.Where(r => ids.Contains(r.EnvironmentId));
        }
        return await routes.Select(r => new EdgePathRoute(r.EnvironmentId, r.Host, r.Path)).ToListAsync(ct);
    }

    /// <summary>Marks the given versions applied. A row switched again meanwhile keeps waiting for its newer
    /// version: the condition on <c>version</c> makes a late acknowledgement harmless.</summary>
    public async Task AcknowledgeAsync(IReadOnlyCollection<EdgeRouteRow> applied, CancellationToken ct)
    {
        if (applied.Count == 0) return;
        var ids = applied.Select(r => r.EnvironmentId).ToArray();
        var versions = applied.Select(r => r.Version).ToArray();
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE edge_routes AS r SET applied_version = a.version
            FROM unnest({ids}, {versions}) AS a(environment_id, version)
            WHERE r.environment_id = a.environment_id AND r.version = a.version AND r.applied_version <> a.version
            """, ct);
    }

    private static IQueryable<EdgeRouteRow> Project(IQueryable<Domain.Edge.EdgeRoute> routes) =>
        routes.Select(r => new EdgeRouteRow(r.EnvironmentId, r.Host, r.DeploymentId, r.Upstreams, r.Version, r.AppliedVersion));
}
