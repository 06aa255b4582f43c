using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Backends;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Runtime.Backends;

namespace Paddock.Runtime.Resources;

/// <summary>The <c>service-port</c> provisioner's lookup: the target workload is an app of the consumer's team, in the
/// environment of the same name (<c>api</c>) or the one named (<c>api/staging</c>); it must exist, not be going, and
/// run on the same backend, which gives the address (<see cref="IWorkloadAddressBackend"/>). The port is the one the
/// target's containers listen on (its current deployment's, else its app's).</summary>
public sealed class WorkloadAddresses(IServiceScopeFactory scopes) : IWorkloadAddresses
{
    public async Task<WorkloadAddress> FindAsync(Guid environmentId, string target, int? port, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var consumer = await (from e in db.Environments.AsNoTracking()
                              join a in db.Applications.AsNoTracking() on e.ApplicationId equals a.Id
                              where e.Id == environmentId
                              select new { a.TeamId, e.Name, e.Backend }).SingleOrDefaultAsync(ct);
        if (consumer is null) return WorkloadAddress.Unreachable("the environment no longer exists.");

        var parts = target.Split('/');
        var appText = parts[0];
        var environmentText = parts.Length > 1 ? parts[1] : consumer.Name.Value;
        if (parts.Length > 2 || AppName.Check(appText) is not null || EnvironmentName.Check(environmentText) is not null)
            return WorkloadAddress.Unreachable($"'{target}' is neither an app name nor app/env.");
        var appName = AppName.FromTrusted(appText);
        var environmentName = EnvironmentName.FromTrusted(environmentText);
        var app = await db.Applications.AsNoTracking().Where(a => a.TeamId == consumer.TeamId && a.Name == appName)
            .Select(a => new { a.Id, a.Name, a.Port }).SingleOrDefaultAsync(ct);
        if (app is null) return WorkloadAddress.Unreachable($"the team has no app '{appText}'.");
        var other = await db.Environments.AsNoTracking().Where(e => e.ApplicationId == app.Id && e.Name == environmentName)
            .Select(e => new { e.Id, e.Backend, e.ResourceName, e.Status, e.DeletedAt, e.CurrentDeploymentId }).SingleOrDefaultAsync(ct);
        if (other is null || other.DeletedAt is not null || other.Status == EnvironmentStatus.Deleting)
            return WorkloadAddress.Unreachable($"app '{appText}' has no environment '{environmentText}'.");
        if (!string.Equals(other.Backend, consumer.Backend, StringComparison.OrdinalIgnoreCase))
            return WorkloadAddress.Unreachable($"{appText}/{environmentText} runs on backend '{other.Backend}' and this environment on '{consumer.Backend}': "
                                               + "it is not reachable from here.");
        if (scope.ServiceProvider.GetRequiredService<BackendRegistry>().Find(other.Backend) is not IWorkloadAddressBackend backend)
            return WorkloadAddress.Unreachable($"backend '{other.Backend}' gives no addresses of one environment to another.");

        var running = other.CurrentDeploymentId is { } current
            ? await db.Deployments.AsNoTracking().Where(d => d.Id == current).Select(d => d.Snapshot).SingleOrDefaultAsync(ct)
            : null;
        var listens = running?.Port ?? app.Port;
        if (port is { } asked && asked != listens)
            return WorkloadAddress.Unreachable($"{appText}/{environmentText} listens on port {listens}, not {asked}.");
        return new WorkloadAddress(backend.HostOf(other.ResourceName, app.Name), listens, backend.NetworkOf(other.ResourceName), null);
    }
}
