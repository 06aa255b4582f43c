using System.Text.Json.Nodes;
using Paddock.Testing.FakeApiServer;
using Paddock.Domain.Backends;
using Paddock.Domain.Names;
using Paddock.Domain.Resources;

namespace Paddock.Backends.Kubernetes.Tests.Backend;

/// <summary>The route seam on a cluster (an Ingress per route resource) and the names and addresses the dns and
/// service-port types take from it.</summary>
public sealed class RouteTests : FakeClusterTest
{
    private const string Uid = "rabcdefghijklmnopqrs";

    [Fact]
    public async Task A_route_is_a_labelled_ingress_rule_with_a_prefix_path_to_the_environments_service_removed_again()
    {
        var spec = Spec();
        var backend = Backend();
        var route = new IngressRoute(spec.EnvironmentId, spec.ResourceName, spec.AppName, Uid, "www-shop-staging.apps.example.com", "/api");

        var made = await backend.EnsureRouteAsync(route, CancellationToken.None);
        var again = await backend.EnsureRouteAsync(route with { Path = "/v2" }, CancellationToken.None);

        Assert.Null(made);
        Assert.Null(again);
        var ns = spec.ResourceName.Value;
        var ingress = Cluster.Store.Get(ResourceTypes.Ingresses, ns, $"route-{Uid}")!;
        Assert.Equal(Uid, LabelSelector.LabelsOf(ingress)[KubernetesBackend.ResourceUidLabel]);
        var rule = ingress["spec"]!["rules"]![0]!;
        var path = rule["http"]!["paths"]![0]!;
        Assert.Equal(("www-shop-staging.apps.example.com", "/v2", "Prefix"),
            (rule["host"]!.GetValue<string>(), path["path"]!.GetValue<string>(), path["pathType"]!.GetValue<string>()));
        Assert.Equal(("shop", "http"), (path["backend"]!["service"]!["name"]!.GetValue<string>(), path["backend"]!["service"]!["port"]!["name"]!.GetValue<string>()));
        Assert.Equal("nginx", ingress["spec"]!["ingressClassName"]!.GetValue<string>());
        Assert.Equal(ResourcePresence.Present, (await backend.ObserveRouteAsync(route, CancellationToken.None)).Presence);

        // The environment's deployment gives the Service the port name the rule points at.
        var applied = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None));
        Assert.True(applied.Succeeded, applied.Failure?.Reason);
        Assert.Equal("http", Cluster.Store.Get(ResourceTypes.Services, ns, "shop")!["spec"]!["ports"]![0]!["name"]!.GetValue<string>());

        Assert.Null(await backend.RemoveRouteAsync(route, CancellationToken.None));
        Assert.Null(await backend.RemoveRouteAsync(route, CancellationToken.None));
        Assert.Null(Cluster.Store.Get(ResourceTypes.Ingresses, ns, $"route-{Uid}"));
        Assert.Equal(ResourcePresence.Missing, (await backend.ObserveRouteAsync(route, CancellationToken.None)).Presence);
        Assert.NotNull(Cluster.Store.Get(ResourceTypes.Ingresses, ns, "shop"));
    }

    [Fact]
    public async Task An_ingress_of_that_name_paddock_did_not_make_is_neither_taken_over_nor_removed()
    {
        var spec = Spec();
        var backend = Backend();
        var route = new IngressRoute(spec.EnvironmentId, spec.ResourceName, spec.AppName, Uid, "a.apps.example.com", "/");
        Assert.Null(await backend.EnsureRouteAsync(route, CancellationToken.None));
        var ns = spec.ResourceName.Value;
        Cluster.Store.Delete(ResourceTypes.Ingresses, ns, $"route-{Uid}");
        Cluster.Store.Create(ResourceTypes.Ingresses, ns, new JsonObject
        {
            ["apiVersion"] = "networking.k8s.io/v1", ["kind"] = "Ingress",
            ["metadata"] = new JsonObject { ["name"] = $"route-{Uid}", ["namespace"] = ns },
        });

        var taken = await backend.EnsureRouteAsync(route, CancellationToken.None);
        var removed = await backend.RemoveRouteAsync(route, CancellationToken.None);

        Assert.Contains("is not the one Paddock made", taken);
        Assert.Contains("is not the one Paddock made", removed);
        Assert.NotNull(Cluster.Store.Get(ResourceTypes.Ingresses, ns, $"route-{Uid}"));
    }

    [Fact]
    public void Dns_names_go_under_the_configured_ingress_domain_and_other_environments_reach_a_workload_by_its_service_dns_name()
    {
        var without = Backend();
        var configured = Backend(configure: o => o.IngressDomain = "apps.example.com");

        Assert.Null(without.DnsSuffix);
        Assert.Equal(".apps.example.com", configured.DnsSuffix);
        Assert.Equal("shop.shop-staging.svc.cluster.local", configured.HostOf(ResourceName.FromTrusted("shop-staging"), AppName.FromTrusted("shop")));
        // What a consumer is let into: the target's namespace (its own is labelled with it, the target's policy admits that).
        Assert.Equal("shop-staging", configured.NetworkOf(ResourceName.FromTrusted("shop-staging")));
    }
}
