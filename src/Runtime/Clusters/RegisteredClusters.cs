using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paddock.Backends.Kubernetes;
using Paddock.Domain.Backends;
using Paddock.Domain.Clusters;
using Paddock.Persistence;
using Paddock.Persistence.Secrets;

namespace Paddock.Runtime.Clusters;

/// <summary>One live row of the <c>clusters</c> table as the registry needs it: <see cref="Version"/> (the row's
/// <c>xmin</c>) changes with every update, so an unchanged cluster keeps its backend (and its connections).</summary>
public sealed record ClusterRow(string Name, Guid Id, uint Version, Func<IRuntimeBackend> CreateBackend);

/// <summary>Reads the registered clusters from the database and knows how to turn one into a Kubernetes backend.</summary>
public sealed class RegisteredClusters(IServiceScopeFactory scopes, SecretProtector protector, TimeProvider clock, ILogger<RegisteredClusters> logger)
{
    public async Task<IReadOnlyList<ClusterRow>> LoadAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var rows = await db.Clusters.AsNoTracking().Where(c => c.DeletedAt == null)
            .Select(c => new { Cluster = c, Version = EF.Property<uint>(c, "xmin") })
            .ToListAsync(ct);
        return rows.Select(r => new ClusterRow(r.Cluster.Name.Value, r.Cluster.Id, r.Version, () => CreateBackend(r.Cluster))).ToList();
    }

    /// <summary>A backend that cannot be built becomes an <see cref="UnavailableBackend"/> carrying the reason.</summary>
    private IRuntimeBackend CreateBackend(Cluster cluster)
    {
        try
        {
            return new KubernetesBackend(OptionsFor(cluster, protector), clock);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Registered cluster {Cluster} cannot be used", cluster.Name.Value);
            var reason = e is System.Security.Cryptography.CryptographicException
                ? "Its kubeconfig cannot be decrypted (was the master key replaced?); register the kubeconfig again."
                : $"Its connection settings cannot be used: {e.GetBaseException().Message}";
            return new UnavailableBackend(KubernetesBackend.BackendKind, cluster.Name.Value, reason);
        }
    }

    /// <summary>The row mapped onto the options a configured Kubernetes backend has, with the kubeconfig and the pull
    /// password decrypted.</summary>
    public static KubernetesBackendOptions OptionsFor(Cluster cluster, SecretProtector protector) => new()
    {
        Name = cluster.Name.Value,
        InCluster = cluster.InCluster,
        Kubeconfig = cluster.ProtectedKubeconfig is { } kubeconfig ? protector.Unprotect(kubeconfig) : null,
        IngressHostPattern = cluster.IngressHostPattern,
        IngressClass = cluster.IngressClass,
        StorageClass = cluster.StorageClass,
        IngressControllerNamespace = cluster.IngressControllerNamespace,
        DefaultQuota = cluster.DefaultQuota is { } quota
            ? new QuotaDefaults { CpuMillicores = quota.CpuMillicores, MemoryMiB = quota.MemoryMiB, Pods = quota.Pods }
            : null,
        PullCredentials = cluster is { PullServer: { } server, PullUsername: { } username, ProtectedPullPassword: { } password }
            ? new RegistryCredentials(server, username, protector.Unprotect(password))
            : null,
    };
}
