using Paddock.Domain.Environments;
using Paddock.Portal.Components.Pages.Environments;
using Paddock.Portal.Features.Resources;
using Paddock.Workloads;
using Paddock.Workloads.Model;
using Paddock.Workloads.Validation;

namespace Paddock.Integration.Tests.Environments.Ui;

/// <summary>The environment page's graph (route → containers → resources): health per node, failing links marked.</summary>
public sealed class EnvironmentGraphTests
{
    private const string Url = "http://shop-dev.localhost:5090/";

    private static readonly Workload ShopWorkload = WorkloadLoader.Load("""
        apiVersion: score.dev/v1b1
        metadata:
          name: shop
        service:
          ports:
            web:
              port: 8080
        containers:
          web:
            image: shop:1
            variables:
              DATABASE_URL: ${resources.db.url}
              SETTING: ${resources.env.SETTING}
          worker:
            image: shop-worker:1
            files:
              /etc/cache.conf:
                content: "redis ${resources.cache.host}:${resources.cache.port}"
        resources:
          env:
            type: environment
          db:
            type: postgres
          cache:
            type: redis
        """, new WorkloadRules(new HashSet<string>(StringComparer.Ordinal) { "environment", "postgres", "redis" })).Workload!;

    private static EnvironmentResourceView Resource(string name, string type, string status, string? reason = null) =>
        new(name, type, "default", $"{name}-id", status, reason, new Dictionary<string, string>(), [], DateTime.UnixEpoch);

    private static IReadOnlyList<EnvironmentResourceView> Resources(string dbStatus = "Ready", string? dbReason = null) =>
        [Resource("db", "postgres", dbStatus, dbReason), Resource("cache", "redis", "Ready")];

    private static string Links(EnvironmentGraphModel graph) =>
        string.Join(", ", graph.Links.Select(l => $"{l.From}>{l.To}{(l.Broken ? " broken" : "")}"));

    [Fact]
    public void A_healthy_environment_links_its_route_to_every_container_and_each_container_to_the_resources_it_names()
    {
        var graph = EnvironmentGraph.Of(Url, EnvironmentStatus.Running, EnvironmentHealth.Healthy, null, ShopWorkload, Resources(), "shop");

        Assert.Equal([Url], graph.Routes.Select(r => r.Detail));
        Assert.Equal(["web", "worker"], graph.Containers.Select(c => c.Name));
        Assert.Equal(["shop:1", "shop-worker:1"], graph.Containers.Select(c => c.Detail));
        Assert.Equal(["db", "cache"], graph.Resources.Select(r => r.Name));
        Assert.All(graph.Nodes, n => Assert.Equal(GraphHealth.Healthy, n.Health));
        Assert.Equal("route>container:web, route>container:worker, container:web>resource:db, container:worker>resource:cache", Links(graph));
    }

    [Fact]
    public void A_failed_resource_is_red_with_its_reason_and_only_its_link_is_marked()
    {
        var graph = EnvironmentGraph.Of(Url, EnvironmentStatus.Failed, EnvironmentHealth.Missing, "Resource db failed: the server refused the role.",
            ShopWorkload, Resources("Failed", "could not create database: permission denied"), "shop");

        var db = graph.Resources.Single(r => r.Name == "db");
        Assert.Equal(GraphHealth.Failed, db.Health);
        Assert.Equal("could not create database: permission denied", db.Reason);
        Assert.Equal(GraphHealth.Healthy, graph.Resources.Single(r => r.Name == "cache").Health);
        Assert.Contains(new GraphLink("container:web", "resource:db", Broken: true), graph.Links);
        Assert.Contains(new GraphLink("container:worker", "resource:cache", Broken: false), graph.Links);
    }

    [Fact]
    public void A_container_down_marks_the_route_links_and_says_why()
    {
        var graph = EnvironmentGraph.Of(Url, EnvironmentStatus.Running, EnvironmentHealth.Missing, "Container web exited (code 1).",
            ShopWorkload, Resources(), "shop");

        Assert.All(graph.Containers, c => Assert.Equal(GraphHealth.Failed, c.Health));
        Assert.Equal("Container web exited (code 1).", graph.Containers[0].Reason);
        Assert.All(graph.Links.Where(l => l.From == "route"), l => Assert.True(l.Broken));
        Assert.All(graph.Links.Where(l => l.From != "route"), l => Assert.False(l.Broken));
    }

    [Fact]
    public void While_deploying_everything_not_yet_ready_is_in_progress_not_failed()
    {
        var graph = EnvironmentGraph.Of(null, EnvironmentStatus.Deploying, EnvironmentHealth.Missing, null, ShopWorkload, Resources("Provisioning"), "shop");

        Assert.Equal(GraphHealth.Unknown, graph.Routes[0].Health);
        Assert.Equal("no URL yet", graph.Routes[0].Detail);
        Assert.All(graph.Containers, c => Assert.Equal(GraphHealth.Progressing, c.Health));
        Assert.Equal(GraphHealth.Progressing, graph.Resources.Single(r => r.Name == "db").Health);
        Assert.DoesNotContain(graph.Links, l => l.Broken);
    }

    [Fact]
    public void A_resource_the_workload_declares_before_the_worker_recorded_it_is_drawn_in_progress_and_linked()
    {
        var graph = EnvironmentGraph.Of(null, EnvironmentStatus.Deploying, EnvironmentHealth.Missing, null, ShopWorkload,
            [Resource("cache", "redis", "Provisioning")], "shop");

        Assert.Equal(["cache", "db"], graph.Resources.Select(r => r.Name));
        Assert.All(graph.Resources, r => Assert.Equal(GraphHealth.Progressing, r.Health));
        Assert.Equal("postgres · default", graph.Resources.Single(r => r.Name == "db").Detail);
        Assert.Contains(new GraphLink("container:web", "resource:db", Broken: false), graph.Links);
    }

    [Fact]
    public void Without_a_known_workload_the_app_is_drawn_as_one_container()
    {
        var graph = EnvironmentGraph.Of(Url, EnvironmentStatus.Running, EnvironmentHealth.Healthy, null, null, Resources(), "shop");

        Assert.Equal(["shop"], graph.Containers.Select(c => c.Name));
        Assert.Equal("route>container:shop", Links(graph));
    }
}
