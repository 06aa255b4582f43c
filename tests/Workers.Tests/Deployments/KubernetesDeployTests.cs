using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paddock.Testing.FakeApiServer;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Teams;
using Paddock.Jobs;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

/// <summary>The deploy and teardown jobs with a Kubernetes backend pointed at the fake API server (real
/// KubernetesClient over HTTP, real Postgres): the cluster serves the traffic, so the edge stays out of it.</summary>
[Collection(WorkerCollection.Name)]
public sealed class KubernetesDeployTests(WorkerWorld world) : IAsyncLifetime
{
    private const string Cluster = "k8s";
    private const string ClusterWithoutIngress = "k8s-internal";

    private FakeKubeApiServer _fake = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeKubeApiServer.StartAsync();
        var settings = world.Settings();
        WorkerWorld.AddFakeCluster(settings, Cluster, _fake, "{env}-{app}.apps.example.com");
        WorkerWorld.AddFakeCluster(settings, ClusterWithoutIngress, _fake);
        _host = WorkerWorld.BuildHost(settings);
    }

    public async Task DisposeAsync()
    {
        _host.Dispose();
        await _fake.DisposeAsync();
        _fake.AssertNothingUnimplemented();
    }

    [Fact]
    public async Task A_kubernetes_environment_is_deployed_by_the_worker_and_served_at_its_ingress_url_not_through_the_edge()
    {
        var environment = await world.CreateEnvironmentAsync("registry.example/web:1", Cluster);
        await world.WithDb(async db =>
        {
            var app = await db.Applications.SingleAsync(a => a.Id == environment.ApplicationId);
            (await db.Teams.SingleAsync(t => t.Id == app.TeamId)).SetQuota(new EnvironmentQuota(null, null, 5));
            await db.SaveChangesAsync();
        });
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.True(deployment.Status == DeploymentStatus.Succeeded, deployment.FailureReason);
        var stored = await world.EnvironmentAsync(environment.Id);
        var url = $"http://dev-{environment.ResourceName.Value.Split('-')[0]}.apps.example.com/";
        Assert.Equal(EnvironmentStatus.Running, stored.Status);
        Assert.Equal(url, stored.Url);
        Assert.Equal(deploymentId, stored.CurrentDeploymentId);
        Assert.False(await world.WithDb(db => db.EdgeRoutes.AnyAsync(r => r.EnvironmentId == environment.Id)));

        var events = await world.EventsAsync(environment.Id);
        Assert.Contains(events, e => e.Phase == "create" && e.Message.Contains("Applied Deployment"));
        Assert.Contains(events, e => e.Phase == "switched" && e.Message == $"Backend {Cluster} serves revision 1 at {url}");
        Assert.Equal($"Revision 1 is live at {url}", events[^1].Message);
        Assert.Equal(["deployment.succeeded"], await world.AuditActionsAsync(deploymentId.ToString()));

        var ns = environment.ResourceName.Value;
        Assert.NotNull(_fake.Store.Get(ResourceTypes.Deployments, ns, environment.ResourceName.Value.Split('-')[0]));
        Assert.NotNull(_fake.Store.Get(ResourceTypes.Ingresses, ns, environment.ResourceName.Value.Split('-')[0]));
        var quota = _fake.Store.Get(ResourceTypes.ResourceQuotas, ns, "environment-quota")!;
        Assert.Equal("5", quota["spec"]!["hard"]!["pods"]!.GetValue<string>());
        Assert.NotNull(_fake.Store.Get(ResourceTypes.NetworkPolicies, ns, "default-deny-ingress"));
    }

    [Fact]
    public async Task Without_an_ingress_host_pattern_the_environment_runs_with_no_url_and_an_event_says_where_it_answers()
    {
        var environment = await world.CreateEnvironmentAsync("registry.example/web:1", ClusterWithoutIngress);
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await DeployAsync(deploymentId);

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(deploymentId)).Status);
        var stored = await world.EnvironmentAsync(environment.Id);
        Assert.Equal(EnvironmentStatus.Running, stored.Status);
        Assert.Null(stored.Url);
        var events = await world.EventsAsync(environment.Id);
        var app = environment.ResourceName.Value.Split('-')[0];
        var note = Assert.Single(events, e => e.Phase == "switched");
        Assert.Equal(EventLevel.Warning, note.Level);
        Assert.Contains("has no public URL", note.Message);
        Assert.Contains($"http://{app}.{environment.ResourceName.Value}.svc.cluster.local:8080/", note.Message);
        Assert.Equal("Revision 1 is live (no public URL)", events[^1].Message);
    }

    [Fact]
    public async Task An_image_that_cannot_be_pulled_fails_the_kubernetes_deployment_with_the_reason_and_an_audit_event()
    {
        var environment = await world.CreateEnvironmentAsync("registry.example/fail-pull:1", Cluster);
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);

        await DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        Assert.Contains("ImagePullBackOff", deployment.FailureReason);
        var stored = await world.EnvironmentAsync(environment.Id);
        Assert.Equal(EnvironmentStatus.Failed, stored.Status);
        Assert.Null(stored.Url);
        Assert.Equal(["deployment.failed"], await world.AuditActionsAsync(deploymentId.ToString()));
        Assert.Contains("ImagePullBackOff", (await world.EventsAsync(environment.Id))[^1].Message);
    }

    [Fact]
    public async Task Teardown_of_a_kubernetes_environment_deletes_its_namespace()
    {
        var environment = await world.CreateEnvironmentAsync("registry.example/web:1", Cluster);
        await DeployAsync(await world.QueueDeploymentAsync(environment.Id));
        var ns = environment.ResourceName.Value;
        Assert.NotNull(_fake.Store.Get(ResourceTypes.Namespaces, "", ns));
        await world.WithDb(async db =>
        {
            var stored = await db.Environments.SingleAsync(e => e.Id == environment.Id);
            stored.BeginDeletion();
            await db.SaveChangesAsync();
        });

        await using (var scope = _host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IEnvironmentJobs>().TearDownAsync(environment.Id, CancellationToken.None);

        Assert.Null(_fake.Store.Get(ResourceTypes.Namespaces, "", ns));
        Assert.Empty(_fake.Store.Contents(ns));
        Assert.True((await world.EnvironmentAsync(environment.Id)).IsDeleted);
        Assert.Equal(["environment.torn_down"], await world.AuditActionsAsync(environment.Id.ToString()));
    }

    [Fact]
    public async Task A_volume_resource_is_a_claim_the_pods_mount_and_it_goes_with_the_environment()
    {
        var environment = await world.CreateEnvironmentAsync("registry.example/web:1", Cluster);
        var deploymentId = await world.QueueDeploymentAsync(environment.Id);
        await world.WithDb(db => db.Database.ExecuteSqlAsync($"UPDATE deployments SET snapshot = snapshot || {System.Text.Json.JsonSerializer.Serialize(new
        {
            resources = new[] { new { name = "data", type = "volume", @class = "default", resourceId = "volume.default#web.data" } },
            volumes = new[] { new { resource = "data", target = "/data", readOnly = false } },
        })}::jsonb WHERE id = {deploymentId}"));

        await DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.True(deployment.Status == DeploymentStatus.Succeeded, deployment.FailureReason);
        var ns = environment.ResourceName.Value;
        var resource = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.EnvironmentId == environment.Id));
        var claim = resource.Values["name"];
        Assert.Equal($"volume-{resource.Uid}", claim);
        Assert.NotNull(_fake.Store.Get(ResourceTypes.PersistentVolumeClaims, ns, claim));
        var pod = _fake.Store.Get(ResourceTypes.Deployments, ns, ns.Split('-')[0])!["spec"]!["template"]!["spec"]!;
        Assert.Equal(claim, pod["volumes"]![0]!["persistentVolumeClaim"]!["claimName"]!.GetValue<string>());
        Assert.Equal("/data", pod["containers"]![0]!["volumeMounts"]![0]!["mountPath"]!.GetValue<string>());

        await world.BeginDeletionAsync(environment.Id);
        await using (var scope = _host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IEnvironmentJobs>().TearDownAsync(environment.Id, CancellationToken.None);

        Assert.True((await world.EnvironmentAsync(environment.Id)).IsDeleted);
        Assert.Null(_fake.Store.Get(ResourceTypes.PersistentVolumeClaims, ns, claim));
        Assert.Equal(Paddock.Domain.Resources.ResourceStatus.Deleted,
            (await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.Id == resource.Id))).Status);
    }

    private async Task DeployAsync(Guid deploymentId)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IEnvironmentJobs>().DeployAsync(deploymentId, CancellationToken.None);
    }
}
