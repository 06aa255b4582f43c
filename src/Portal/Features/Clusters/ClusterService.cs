using Microsoft.EntityFrameworkCore;
using Paddock.Backends.Kubernetes;
using Paddock.Domain.Audit;
using Paddock.Domain.Clusters;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Backends;
using Paddock.Runtime.Backends;
using Paddock.Runtime.Clusters;

namespace Paddock.Portal.Features.Clusters;

/// <summary>Platform admins register, change and remove Kubernetes clusters. Each change is saved with its audit
/// event and a <c>NOTIFY paddock_clusters</c> in one transaction, so every portal and worker process reloads its
/// backend registry once the change is committed (this one at once). Credentials are encrypted before they reach
/// the entity and never appear in views or audit events.</summary>
public sealed class ClusterService(
    PaddockDbContext db, AuditLog audit, SecretProtector protector, BackendRegistry registry, BackendStatus status, TimeProvider clock)
{
    private const string AdminsOnly = "Only platform admins manage clusters.";

    public async Task<Outcome<IReadOnlyList<ClusterView>>> ListAsync(Caller caller, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        var clusters = await db.Clusters.AsNoTracking().Where(c => c.DeletedAt == null).OrderBy(c => c.Name).ToListAsync(ct);
        if (clusters.Any(c => registry.Find(c.Name.Value) is null)) await registry.RefreshClustersAsync(ct);
        return await Task.WhenAll(clusters.Select(c => DescribeAsync(c, ct)));
    }

    public async Task<Outcome<Tagged<ClusterView>>> GetAsync(Caller caller, string name, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        if (await FindAsync(name, ct) is not { } cluster) return Failure.NotFound($"Cluster '{name}'");
        if (registry.Find(cluster.Name.Value) is null) await registry.RefreshClustersAsync(ct);
        return Tag(cluster, await DescribeAsync(cluster, ct));
    }

    public async Task<Outcome<Tagged<ClusterView>>> RegisterAsync(Caller caller, RegisterClusterRequest request, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        var errors = new FieldErrors();
        errors.Add("name", ClusterName.Check(request.Name));
        var inCluster = request.InCluster ?? false;
        var summary = ClusterRules.CheckConnection(request.Kubeconfig, inCluster, errors);
        var hostPattern = OptionalText.OrNull(request.IngressHostPattern);
        ClusterRules.CheckIngressHostPattern(hostPattern, errors);
        var ingressClass = OptionalText.OrNull(request.IngressClass);
        ClusterRules.CheckClassName("ingressClass", ingressClass, errors);
        var storageClass = OptionalText.OrNull(request.StorageClass);
        ClusterRules.CheckClassName("storageClass", storageClass, errors);
        ClusterRules.CheckPullCredentials(request.PullCredentials, passwordStored: false, errors);
        var ingressNamespace = request.IngressControllerNamespace is null ? Cluster.DefaultIngressControllerNamespace : OptionalText.OrNull(request.IngressControllerNamespace);
        ClusterRules.CheckNamespace("ingressControllerNamespace", ingressNamespace, errors);
        errors.Add("defaultQuota", request.DefaultQuota?.Check());
        if (errors.Any) return errors.ToFailure();

        var name = ClusterName.Parse(request.Name!);
        if (await NameTakenAsync(name, ct) is { } taken) return taken;
        var now = clock.GetUtcNow().UtcDateTime;
        var cluster = new Cluster(name, caller.Actor.Name, now)
        {
            IngressHostPattern = hostPattern, IngressClass = ingressClass, StorageClass = storageClass,
            IngressControllerNamespace = ingressNamespace,
        };
        cluster.SetDefaultQuota(request.DefaultQuota?.ToQuota());
        Connect(cluster, inCluster, request.Kubeconfig, summary);
        if (request.PullCredentials is { } pull) cluster.SetPullCredentials(pull.Server!.Trim(), pull.Username!.Trim(), protector.Protect(pull.Password!));
        db.Clusters.Add(cluster);
        try
        {
            await SaveAndAnnounceAsync(caller.Audit("cluster.registered", "cluster", cluster.Id.ToString(), null, null, null,
                new { cluster = ClusterView.Of(cluster) }), cluster, ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Failure.Conflict("name", $"A cluster named '{name}' was registered at the same time by someone else.");
        }
        await registry.RefreshClustersAsync(ct);
        return Tag(cluster, await DescribeAsync(cluster, ct));
    }

    public async Task<Outcome<Tagged<ClusterView>>> UpdateAsync(Caller caller, string name, ClusterPatch patch, uint? ifMatch, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        if (await FindAsync(name, ct) is not { } cluster) return Failure.NotFound($"Cluster '{name}'");

        var errors = new FieldErrors();
        if (patch.Name.IsSet && patch.Name.Value != cluster.Name.Value) errors.Add("name", "A cluster cannot be renamed: environments name it. Register a new one.");
        var newKubeconfig = patch.Kubeconfig.IsSet ? OptionalText.OrNull(patch.Kubeconfig.Value) : null;
        // A new kubeconfig alone means "connect with this one"; inCluster, when given, decides.
        var inCluster = patch.InCluster.IsSet ? patch.InCluster.Value ?? false : newKubeconfig is null && cluster.InCluster;
        KubeconfigSummary? summary = null;
        if (newKubeconfig is not null || inCluster || !cluster.HasKubeconfig || (patch.Kubeconfig.IsSet && newKubeconfig is null))
            summary = ClusterRules.CheckConnection(newKubeconfig, inCluster, errors);
        var hostPattern = patch.IngressHostPattern.IsSet ? OptionalText.OrNull(patch.IngressHostPattern.Value) : cluster.IngressHostPattern;
        if (patch.IngressHostPattern.IsSet) ClusterRules.CheckIngressHostPattern(hostPattern, errors);
        var ingressClass = patch.IngressClass.IsSet ? OptionalText.OrNull(patch.IngressClass.Value) : cluster.IngressClass;
        if (patch.IngressClass.IsSet) ClusterRules.CheckClassName("ingressClass", ingressClass, errors);
        var storageClass = patch.StorageClass.IsSet ? OptionalText.OrNull(patch.StorageClass.Value) : cluster.StorageClass;
        if (patch.StorageClass.IsSet) ClusterRules.CheckClassName("storageClass", storageClass, errors);
        if (patch.PullCredentials is { IsSet: true, Value: { } pull })
            ClusterRules.CheckPullCredentials(pull, passwordStored: cluster.ProtectedPullPassword is not null, errors);
        var ingressNamespace = patch.IngressControllerNamespace.IsSet ? OptionalText.OrNull(patch.IngressControllerNamespace.Value) : cluster.IngressControllerNamespace;
        if (patch.IngressControllerNamespace.IsSet) ClusterRules.CheckNamespace("ingressControllerNamespace", ingressNamespace, errors);
        if (patch.DefaultQuota.IsSet) errors.Add("defaultQuota", patch.DefaultQuota.Value?.Check());
        if (errors.Any) return errors.ToFailure();
        if (!ETags.Expect(db, cluster, ifMatch)) return Failure.PreconditionFailed();

        var before = ClusterView.Of(cluster);
        var secretsReplaced = new List<string>();
        if (newKubeconfig is not null) secretsReplaced.Add("kubeconfig");
        if (inCluster != cluster.InCluster || newKubeconfig is not null) Connect(cluster, inCluster, newKubeconfig, summary);
        cluster.IngressHostPattern = hostPattern;
        cluster.IngressClass = ingressClass;
        cluster.StorageClass = storageClass;
        cluster.IngressControllerNamespace = ingressNamespace;
        if (patch.DefaultQuota.IsSet) cluster.SetDefaultQuota(patch.DefaultQuota.Value?.ToQuota());
        if (patch.PullCredentials is { IsSet: true, Value: null }) cluster.ClearPullCredentials();
        else if (patch.PullCredentials is { IsSet: true, Value: { } credentials })
        {
            if (!string.IsNullOrEmpty(credentials.Password)) secretsReplaced.Add("pullCredentials.password");
            var password = string.IsNullOrEmpty(credentials.Password) ? cluster.ProtectedPullPassword! : protector.Protect(credentials.Password);
            cluster.SetPullCredentials(credentials.Server!.Trim(), credentials.Username!.Trim(), password);
        }
        if (ClusterView.Of(cluster) == before && secretsReplaced.Count == 0) return Tag(cluster, await DescribeAsync(cluster, ct));

        cluster.Touched(caller.Actor.Name, clock.GetUtcNow().UtcDateTime);
        try
        {
            await SaveAndAnnounceAsync(caller.Audit("cluster.updated", "cluster", cluster.Id.ToString(), null, null,
                new { cluster = before }, new { cluster = ClusterView.Of(cluster), secretsReplaced }), cluster, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ifMatch is null ? Failure.Conflict("The cluster changed while this update ran; try again.") : Failure.PreconditionFailed();
        }
        await registry.RefreshClustersAsync(ct);
        return Tag(cluster, await DescribeAsync(cluster, ct));
    }

    /// <summary>Refused while a live environment names the cluster: its namespace would be left behind, unreachable.</summary>
    public async Task<Outcome<ClusterView>> DeleteAsync(Caller caller, string name, uint? ifMatch, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden(AdminsOnly);
        if (await FindAsync(name, ct) is not { } cluster) return Failure.NotFound($"Cluster '{name}'");
        if (!ETags.Expect(db, cluster, ifMatch)) return Failure.PreconditionFailed();
        var users = await db.Environments.AsNoTracking().Where(e => e.DeletedAt == null && e.Backend == cluster.Name.Value)
            .Join(db.Applications, e => e.ApplicationId, a => a.Id, (e, a) => new { App = a.Name, Environment = e.Name })
            .ToListAsync(ct);
        if (users.Count > 0)
            return Failure.Conflict($"Cluster '{cluster.Name}' still has {users.Count} environment(s): "
                + $"{string.Join(", ", users.Select(u => $"{u.App}/{u.Environment}").Order(StringComparer.Ordinal).Take(10))}"
                + $"{(users.Count > 10 ? ", …" : "")}. Delete them first; the cluster can be removed once none is left.");

        var before = ClusterView.Of(cluster);
        cluster.MarkDeleted(caller.Actor.Name, clock.GetUtcNow().UtcDateTime);
        try
        {
            await SaveAndAnnounceAsync(caller.Audit("cluster.deleted", "cluster", cluster.Id.ToString(), null, null, new { cluster = before }, null), cluster, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ifMatch is null ? Failure.Conflict("The cluster changed while it was being deleted; try again.") : Failure.PreconditionFailed();
        }
        await registry.RefreshClustersAsync(ct);
        return before;
    }

    private Task<Cluster?> FindAsync(string name, CancellationToken ct) =>
        db.Clusters.FirstOrDefaultAsync(c => c.DeletedAt == null && c.Name == ClusterName.FromTrusted(name.Trim().ToLowerInvariant()), ct);

    /// <summary>Backend names are unique across configured backends and registered clusters.</summary>
    private async Task<Failure?> NameTakenAsync(ClusterName name, CancellationToken ct)
    {
        if (registry.IsConfigured(name.Value))
            return Failure.Conflict($"A configured backend is named '{name}'; a cluster needs a name no other backend has.");
        if (await db.Clusters.AnyAsync(c => c.DeletedAt == null && c.Name == name, ct))
            return Failure.Conflict("name", $"A cluster named '{name}' is already registered.");
        return null;
    }

    private void Connect(Cluster cluster, bool inCluster, string? kubeconfig, KubeconfigSummary? summary)
    {
        if (inCluster) cluster.UseInCluster();
        else cluster.UseKubeconfig(protector.Protect(kubeconfig!), summary!.Server, summary.Context);
    }

    /// <summary>The NOTIFY is queued inside the transaction, so Postgres delivers it only if the change commits.</summary>
    private async Task SaveAndAnnounceAsync(AuditEntry entry, Cluster cluster, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.Database.ExecuteSqlAsync($"SELECT pg_notify({ClusterRefresher.Channel}, {cluster.Name.Value})", ct);
        await audit.SaveChangesAsync(entry, ct);
        await transaction.CommitAsync(ct);
    }

    private async Task<ClusterView> DescribeAsync(Cluster cluster, CancellationToken ct)
    {
        var view = ClusterView.Of(cluster);
        if (registry.IsConfigured(cluster.Name.Value))
            return view with { Reachable = false, Reason = "A configured backend has the same name, so this registration is not used." };
        if (registry.Find(cluster.Name.Value) is not { } backend)
            return view with { Reachable = false, Reason = "Not loaded in this process yet; reload in a moment." };
        return view.WithStatus(await status.DescribeAsync(backend, ct));
    }

    private Tagged<ClusterView> Tag(Cluster cluster, ClusterView view) => new(view, ETags.Format(ETags.VersionOf(db, cluster)));
}
