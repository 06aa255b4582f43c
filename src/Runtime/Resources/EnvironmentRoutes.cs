using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paddock.Domain.Backends;
using Paddock.Domain.Edge;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Runtime.Backends;

namespace Paddock.Runtime.Resources;

/// <summary>The <c>dns</c> and <c>route</c> provisioners' view of environments: names from the database, the domain
/// of the environment's backend (the edge's <c>Edge:HostSuffix</c>, or an Ingress backend's own), and routes kept in
/// <c>host_routes</c> (whose unique host+path index refuses a second environment) and served by the backend's Ingress
/// or, for every other backend, by the edge, woken with the environment's route notice. The provisioners are
/// singletons; each call reads in a scope of its own.</summary>
public sealed class EnvironmentRoutes(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider clock) : IEnvironmentRoutes
{
    /// <summary>The edge's host suffix when configuration gives none (browsers and curl resolve <c>*.localhost</c>).</summary>
    public const string DefaultHostSuffix = ".localhost";

    public async Task<RoutePlace> FindAsync(Guid environmentId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (place, backend, failure) = await PlaceAsync(scope, environmentId, ct);
        if (place is null) return RoutePlace.Missing(failure!);
        if (backend is IIngressBackend ingress)
            return ingress.DnsSuffix is { } domain
                ? new RoutePlace(place.App, place.Environment, domain, null)
                : RoutePlace.Missing($"the environment's backend '{place.Backend}' has no domain for host names (set Backends:{place.Backend}:IngressDomain).");
        return new RoutePlace(place.App, place.Environment, configuration["Edge:HostSuffix"] is { Length: > 0 } suffix ? suffix : DefaultHostSuffix, null);
    }

    public async Task<bool> HostTakenAsync(string host, Guid environmentId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        if (await db.EdgeRoutes.AnyAsync(r => r.Host == host && r.EnvironmentId != environmentId, ct)) return true;
        if (await db.HostRoutes.AnyAsync(r => r.Host == host && r.EnvironmentId != environmentId, ct)) return true;
        var names = await db.EnvironmentResources.AsNoTracking()
            .Where(r => r.Type == "dns" && r.EnvironmentId != environmentId && r.Status != ResourceStatus.Deleted)
            .Select(r => r.Values).ToListAsync(ct);
        return names.Any(values => values.TryGetValue("host", out var taken) && string.Equals(taken, host, StringComparison.OrdinalIgnoreCase));
    }

    public async Task<string?> ClaimAsync(RouteClaim claim, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var (place, backend, failure) = await PlaceAsync(scope, claim.EnvironmentId, ct);
        if (place is null) return failure;
        // The edge serves a host's routes before its URL: a route on another environment's URL would take it over.
        if (await db.EdgeRoutes.AsNoTracking().Where(r => r.Host == claim.Host && r.EnvironmentId != claim.EnvironmentId)
                .Select(r => (Guid?)r.EnvironmentId).FirstOrDefaultAsync(ct) is { } urlOwner)
            return $"{claim.Host} is the URL of {await DescribeAsync(db, urlOwner, ct)}.";
        if (await HolderAsync(db, claim, ct) is { } holder) return holder;
        try
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO host_routes (uid, environment_id, host, path, created_at)
                VALUES ({claim.Uid}, {claim.EnvironmentId}, {claim.Host}, {claim.Path}, {clock.GetUtcNow().UtcDateTime})
                ON CONFLICT (uid) DO UPDATE SET host = excluded.host, path = excluded.path
                """, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            // Another environment claimed the same host and path between the check and the insert.
            return await HolderAsync(db, claim, ct) ?? $"{claim.Host}{claim.Path} is already routed to another environment.";
        }
        if (backend is IIngressBackend ingress)
            return await ingress.EnsureRouteAsync(new IngressRoute(claim.EnvironmentId, place.ResourceName, place.AppName, claim.Uid, claim.Host, claim.Path), ct);
        await NotifyEdgeAsync(db, claim.EnvironmentId, ct);
        return null;
    }

    public async Task<ResourceObservation> ObserveAsync(RouteClaim claim, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var (place, backend, failure) = await PlaceAsync(scope, claim.EnvironmentId, ct);
        if (place is null) return new ResourceObservation(ResourcePresence.Unknown, failure);
        if (!await db.HostRoutes.AnyAsync(r => r.Uid == claim.Uid && r.Host == claim.Host && r.Path == claim.Path, ct))
            return new ResourceObservation(ResourcePresence.Missing, $"the route {claim.Host}{claim.Path} is no longer claimed");
        return backend is IIngressBackend ingress
            ? await ingress.ObserveRouteAsync(new IngressRoute(claim.EnvironmentId, place.ResourceName, place.AppName, claim.Uid, claim.Host, claim.Path), ct)
            : new ResourceObservation(ResourcePresence.Present);
    }

    public async Task<string?> ReleaseAsync(Guid environmentId, string uid, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var (place, backend, _) = await PlaceAsync(scope, environmentId, ct);
        var route = await db.HostRoutes.AsNoTracking().FirstOrDefaultAsync(r => r.Uid == uid && r.EnvironmentId == environmentId, ct);
        if (place is not null && backend is IIngressBackend ingress
            && await ingress.RemoveRouteAsync(new IngressRoute(environmentId, place.ResourceName, place.AppName, uid, route?.Host ?? "", route?.Path ?? "/"), ct) is { } refused)
            return refused;
        await db.HostRoutes.Where(r => r.Uid == uid && r.EnvironmentId == environmentId).ExecuteDeleteAsync(ct);
        await NotifyEdgeAsync(db, environmentId, ct);
        return null;
    }

    private sealed record Place(string App, string Environment, string Backend, Domain.Names.ResourceName ResourceName, Domain.Names.AppName AppName);

    private static async Task<(Place? Place, IRuntimeBackend? Backend, string? Failure)> PlaceAsync(AsyncServiceScope scope, Guid environmentId, CancellationToken ct)
    {
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var found = await (from e in db.Environments.AsNoTracking()
                           join a in db.Applications.AsNoTracking() on e.ApplicationId equals a.Id
                           where e.Id == environmentId
                           select new { App = a.Name, e.Name, e.Backend, e.ResourceName }).SingleOrDefaultAsync(ct);
        if (found is null) return (null, null, "the environment no longer exists.");
        var backend = scope.ServiceProvider.GetRequiredService<BackendRegistry>().Find(found.Backend);
        return (new Place(found.App.Value, found.Name.Value, found.Backend, found.ResourceName, found.App), backend, null);
    }

    /// <summary>Why another environment's route stands in the way of <paramref name="claim"/>, or null.</summary>
    private static async Task<string?> HolderAsync(PaddockDbContext db, RouteClaim claim, CancellationToken ct)
    {
        var holder = await db.HostRoutes.AsNoTracking()
            .Where(r => r.Host == claim.Host && r.Path == claim.Path && r.Uid != claim.Uid)
            .Select(r => (Guid?)r.EnvironmentId).FirstOrDefaultAsync(ct);
        if (holder is null) return null;
        return holder == claim.EnvironmentId
            ? $"another route of this environment already serves {claim.Host} path {claim.Path}."
            : $"{claim.Host} path {claim.Path} is already routed to {await DescribeAsync(db, holder.Value, ct)}; a host and path belong to one environment.";
    }

    private static async Task<string> DescribeAsync(PaddockDbContext db, Guid environmentId, CancellationToken ct)
    {
        var found = await (from e in db.Environments.AsNoTracking()
                           join a in db.Applications.AsNoTracking() on e.ApplicationId equals a.Id
                           where e.Id == environmentId
                           select new { App = a.Name, e.Name }).SingleOrDefaultAsync(ct);
        return found is null ? "another environment" : $"environment {found.Name.Value} of {found.App.Value}";
    }

    /// <summary>The edge reads the environment's rows again, its host routes with them.</summary>
    private static Task NotifyEdgeAsync(PaddockDbContext db, Guid environmentId, CancellationToken ct) =>
        db.Database.ExecuteSqlAsync($"SELECT pg_notify({EdgeRouteNotice.Channel}, {EdgeRouteNotice.ReadRow(environmentId).ToPayload()})", ct);
}
