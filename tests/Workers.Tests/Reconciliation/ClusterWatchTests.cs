using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paddock.Testing.FakeApiServer;
using Paddock.Domain.Clusters;
using Paddock.Persistence;
using Paddock.Persistence.Secrets;
using Paddock.Runtime.Backends;
using Paddock.Workers.Reconciliation;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Reconciliation;

/// <summary>The leading reconciler watches the backends the registry has now, not only those it had when it took
/// over: a cluster registered later gets its watch (against the fake API server) without a restart.</summary>
[Collection(WorkerCollection.Name)]
public sealed class ClusterWatchTests(WorkerWorld world)
{
    private static bool IsPodWatch(string request) => request.StartsWith("GET /api/v1/pods", StringComparison.Ordinal) && request.Contains("watch=true");

    [Fact]
    public async Task A_cluster_registered_while_the_reconciler_leads_gets_watched()
    {
        await using var fake = await FakeKubeApiServer.StartAsync();
        var settings = world.Settings();
        settings["Reconciler:LeadershipCheckSeconds"] = "0.2";
        settings["Reconciler:ResyncSeconds"] = "600";
        settings["Clusters:RefreshSeconds"] = "3600";
        using var host = WorkerWorld.BuildHost(settings, reconciler: true);
        await host.StartAsync();
        var reconciler = host.Services.GetRequiredService<ReconcilerService>();
        await Eventually.HoldsAsync(() => reconciler.IsLeader && reconciler.ResyncsFinished > 0, "Taking the lead", TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(fake.Requests, IsPodWatch);

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
            var cluster = new Cluster(ClusterName.Parse($"late-{Guid.NewGuid():N}"[..13]), "test-setup", DateTime.UtcNow);
            cluster.UseKubeconfig(scope.ServiceProvider.GetRequiredService<SecretProtector>().Protect(fake.Kubeconfig()), fake.Address.ToString(), "fake");
            db.Clusters.Add(cluster);
            await db.SaveChangesAsync();
        }
        await host.Services.GetRequiredService<BackendRegistry>().RefreshClustersAsync(CancellationToken.None);

        await Eventually.HoldsAsync(() => fake.Requests.Any(IsPodWatch), "Watching the new cluster's pods", TimeSpan.FromSeconds(15));
        await host.StopAsync();
    }
}
