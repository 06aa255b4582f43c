using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Backends;
using Paddock.Domain.Resources;
using Paddock.Persistence;
using Paddock.Runtime.Backends;

namespace Paddock.Runtime.Resources;

/// <summary>Finds an environment's backend (the one its row names, in <see cref="BackendRegistry"/>) and offers its
/// volume seam to the <c>volume</c> provisioner. The provisioner is a singleton; the environment is read in a scope of
/// its own.</summary>
public sealed class EnvironmentVolumes(IServiceScopeFactory scopes) : IEnvironmentVolumes
{
    public async Task<EnvironmentVolume> FindAsync(Guid environmentId, string uid, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var environment = await scope.ServiceProvider.GetRequiredService<PaddockDbContext>().Environments.AsNoTracking()
            .Where(e => e.Id == environmentId).Select(e => new { e.Backend, e.ResourceName }).SingleOrDefaultAsync(ct);
        if (environment is null) return EnvironmentVolume.None("the environment no longer exists.");
        var backend = scope.ServiceProvider.GetRequiredService<BackendRegistry>().Find(environment.Backend);
        return backend switch
        {
            null => EnvironmentVolume.None($"the environment's backend '{environment.Backend}' is not configured or registered."),
            IVolumeBackend volumes => EnvironmentVolume.On(volumes, new VolumeClaim(environmentId, environment.ResourceName, uid)),
            _ => EnvironmentVolume.None($"the environment's backend '{environment.Backend}' ({backend.Kind}) keeps no volumes."),
        };
    }
}
