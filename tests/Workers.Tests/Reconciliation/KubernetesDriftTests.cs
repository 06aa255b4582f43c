using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paddock.Backends.Kubernetes;
using Paddock.Testing.FakeApiServer;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Jobs;
using Paddock.Workers.Reconciliation;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Reconciliation;

/// <summary>The reconciler with a Kubernetes environment (real KubernetesClient against the fake API server, real
/// Postgres): what is changed by hand in the cluster is repaired by applying the deployment again, and a stray pod
/// with the environment's labels is deleted; each repair is an event and an <c>environment.repaired</c> audit event.</summary>
[Collection(WorkerCollection.Name)]
public sealed class KubernetesDriftTests(WorkerWorld world) : IAsyncLifetime
{
    private const string Cluster = "k8s";

    private FakeKubeApiServer _fake = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeKubeApiServer.StartAsync();
        var settings = world.Settings();
        WorkerWorld.AddFakeCluster(settings, Cluster, _fake, "{env}-{app}.apps.example.com");
        // Not started: the tests drive one reconcile at a time instead of the leader's watches and resyncs.
        _host = WorkerWorld.BuildHost(settings, reconciler: true);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _fake.DisposeAsync();
        _fake.AssertNothingUnimplemented();
    }

    [Fact]
    public async Task A_deployment_deleted_by_hand_is_applied_again_with_an_event_and_an_audit_event()
    {
        var (environment, ns, name) = await RunningAsync();
        Assert.True(_fake.Store.Delete(ResourceTypes.Deployments, ns, name));
        Assert.Empty(Pods(ns));

        var outcome = await ReconcileAsync(environment.Id);

        Assert.Equal(ReconcileResult.Repaired, outcome.Result);
        Assert.NotNull(_fake.Store.Get(ResourceTypes.Deployments, ns, name));
        Assert.Single(Pods(ns), p => p["status"]?["phase"]?.GetValue<string>() == "Running");
        var repaired = Assert.Single(await world.EventsAsync(environment.Id), e => e.Phase == EnvironmentReconciler.RepairedPhase);
        Assert.Equal("1 of 1 instance(s) missing; applied the deployment again.", repaired.Message);
        await AssertRepairAuditedAsync(environment.Id);
        Assert.Equal(ReconcileResult.InSync, (await ReconcileAsync(environment.Id)).Result);
    }

    [Fact]
    public async Task A_replica_count_changed_by_hand_is_applied_back_and_the_event_says_what_differed()
    {
        var (environment, ns, name) = await RunningAsync();
        _fake.Store.Update(ResourceTypes.Deployments, ns, name, d => d["spec"]!["replicas"] = 3);
        await Eventually.HoldsAsync(() => RunningPods(ns) == 3, "The controller starting 3 pods", TimeSpan.FromSeconds(15));

        var outcome = await ReconcileAsync(environment.Id);

        Assert.Equal(ReconcileResult.Repaired, outcome.Result);
        Assert.Equal(1, _fake.Store.Get(ResourceTypes.Deployments, ns, name)!["spec"]!["replicas"]!.GetValue<int>());
        await Eventually.HoldsAsync(() => Pods(ns).Count == 1, "The controller scaling back to 1 pod", TimeSpan.FromSeconds(15));
        var repaired = Assert.Single(await world.EventsAsync(environment.Id), e => e.Phase == EnvironmentReconciler.RepairedPhase);
        Assert.Contains("is one more than the 1 replica(s) wanted", repaired.Message);
        Assert.EndsWith("; applied the deployment again.", repaired.Message);
        await AssertRepairAuditedAsync(environment.Id);
    }

    [Fact]
    public async Task A_deleted_pod_ends_with_one_running_pod_and_no_failed_repair()
    {
        var (environment, ns, _) = await RunningAsync();
        var pod = Assert.Single(Pods(ns));
        Assert.True(_fake.Store.Delete(ResourceTypes.Pods, ns, Name(pod)));

        var outcome = await ReconcileAsync(environment.Id);

        // The ReplicaSet may have recreated the pod already (in sync, or not started yet: applied again) or not (applied again).
        Assert.Contains(outcome.Result, new[] { ReconcileResult.InSync, ReconcileResult.Repaired });
        await Eventually.HoldsAsync(() => RunningPods(ns) == 1, "One running pod", TimeSpan.FromSeconds(15));
        Assert.DoesNotContain(await world.EventsAsync(environment.Id), e => e.Phase == EnvironmentReconciler.RepairFailedPhase);
    }

    [Fact]
    public async Task A_stray_pod_with_the_environments_labels_is_deleted_and_nothing_else()
    {
        var (environment, ns, name) = await RunningAsync();
        var ours = Name(Assert.Single(Pods(ns)));
        _fake.Store.Create(ResourceTypes.Pods, ns, PodObject("stray", new()
        {
            [KubeLabels.ManagedBy] = KubeLabels.ManagedByValue,
            [KubeLabels.EnvironmentId] = environment.Id.ToString(),
        }));
        _fake.Store.Create(ResourceTypes.Pods, ns, PodObject("bystander", new() { ["team"] = "ops" }));

        var outcome = await ReconcileAsync(environment.Id);

        Assert.Equal(ReconcileResult.Repaired, outcome.Result);
        Assert.Null(_fake.Store.Get(ResourceTypes.Pods, ns, "stray"));
        Assert.NotNull(_fake.Store.Get(ResourceTypes.Pods, ns, "bystander"));
        Assert.NotNull(_fake.Store.Get(ResourceTypes.Pods, ns, ours));
        Assert.NotNull(_fake.Store.Get(ResourceTypes.Deployments, ns, name));
        var repaired = Assert.Single(await world.EventsAsync(environment.Id), e => e.Phase == EnvironmentReconciler.RepairedPhase);
        Assert.Equal("Instance stray belongs to deployment (unreadable label), not the current one; removed it; applied the deployment again.",
            repaired.Message);
        await AssertRepairAuditedAsync(environment.Id);
        Assert.Equal(ReconcileResult.InSync, (await ReconcileAsync(environment.Id)).Result);
    }

    private async Task<(AppEnvironment Environment, string Namespace, string Deployment)> RunningAsync()
    {
        var environment = await world.CreateEnvironmentAsync("registry.example/web:1", Cluster);
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        await using (var scope = _host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IEnvironmentJobs>().DeployAsync(deploymentId, CancellationToken.None);
        Assert.Equal(EnvironmentStatus.Running, (await world.EnvironmentAsync(environment.Id)).Status);
        var ns = environment.ResourceName.Value;
        var name = environment.ResourceName.Value.Split('-')[0];
        Assert.NotNull(_fake.Store.Get(ResourceTypes.Deployments, ns, name));
        return (environment, ns, name);
    }

    private async Task<ReconcileOutcome> ReconcileAsync(Guid environmentId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<EnvironmentReconciler>().ReconcileAsync(environmentId, "test", CancellationToken.None);
    }

    private async Task AssertRepairAuditedAsync(Guid environmentId)
    {
        var audit = Assert.Single(await world.WithDb(db => db.AuditEvents.AsNoTracking()
            .Where(a => a.TargetId == environmentId.ToString() && a.Action == "environment.repaired").ToListAsync()));
        Assert.Equal("system:reconciler", audit.ActorId);
    }

    private List<JsonObject> Pods(string ns) => _fake.Store.List(ResourceTypes.Pods, ns, LabelSelector.Everything).Items;

    private int RunningPods(string ns) => Pods(ns).Count(p => p["status"]?["phase"]?.GetValue<string>() == "Running");

    private static string Name(JsonObject item) => item["metadata"]!["name"]!.GetValue<string>();

    private static JsonObject PodObject(string name, Dictionary<string, string> labels) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) },
        ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "registry.example/other:1" }) },
    };
}
