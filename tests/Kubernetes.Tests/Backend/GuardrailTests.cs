using System.Text.Json.Nodes;
using Paddock.Testing.FakeApiServer;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Domain.Teams;

namespace Paddock.Backends.Kubernetes.Tests.Backend;

/// <summary>Each environment's namespace gets the team's ResourceQuota and a default-deny NetworkPolicy that lets in
/// only its own namespace and the ingress controller.</summary>
public sealed class GuardrailTests : FakeClusterTest
{
    [Fact]
    public async Task The_teams_quota_becomes_a_labelled_resource_quota_applied_by_paddock_without_force()
    {
        var spec = Spec() with { Quota = new EnvironmentQuota(2000, 1024, 6) };

        var result = await Within(TimeSpan.FromSeconds(15), Backend().ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        var quota = Cluster.Store.Get(ResourceTypes.ResourceQuotas, spec.ResourceName.Value, "environment-quota")!;
        var hard = quota["spec"]!["hard"]!;
        Assert.Equal("2", hard["limits.cpu"]!.GetValue<string>());
        Assert.Equal("1Gi", hard["limits.memory"]!.GetValue<string>());
        Assert.Equal("6", hard["pods"]!.GetValue<string>());
        AssertPaddocksLabels(spec, quota);
        Assert.Equal(["paddock"], Cluster.Store.Owners(ResourceTypes.ResourceQuotas, spec.ResourceName.Value, "environment-quota")
            .Values.SelectMany(o => o).Distinct());
        Assert.Contains(Cluster.Requests, r => r.StartsWith("PATCH /api/v1/namespaces/shop-staging/resourcequotas/environment-quota?", StringComparison.Ordinal)
            && r.Contains("fieldManager=paddock") && !r.Contains("force=true"));
    }

    [Fact]
    public async Task A_team_without_a_quota_gets_the_clusters_default_and_with_neither_there_is_none()
    {
        var withDefault = Spec(app: "shop");
        var withNone = Spec(app: "cart");

        Assert.True((await Backend(configure: o => o.DefaultQuota = new QuotaDefaults { Pods = 10 })
            .ApplyAsync(withDefault, new EventRecorder(), CancellationToken.None)).Succeeded);
        Assert.True((await Backend().ApplyAsync(withNone, new EventRecorder(), CancellationToken.None)).Succeeded);

        var quota = Cluster.Store.Get(ResourceTypes.ResourceQuotas, withDefault.ResourceName.Value, "environment-quota")!;
        Assert.Equal(new JsonObject { ["pods"] = "10" }.ToJsonString(), quota["spec"]!["hard"]!.ToJsonString());
        Assert.Null(Cluster.Store.Get(ResourceTypes.ResourceQuotas, withNone.ResourceName.Value, "environment-quota"));
    }

    [Fact]
    public async Task Removing_the_teams_quota_removes_the_resource_quota_on_the_next_deployment()
    {
        var backend = Backend();
        var first = Spec() with { Quota = new EnvironmentQuota(null, null, 4) };
        Assert.True((await backend.ApplyAsync(first, new EventRecorder(), CancellationToken.None)).Succeeded);
        Assert.NotNull(Cluster.Store.Get(ResourceTypes.ResourceQuotas, first.ResourceName.Value, "environment-quota"));

        var events = new EventRecorder();
        var second = Spec(environmentId: first.EnvironmentId);
        Assert.True((await backend.ApplyAsync(second, events, CancellationToken.None)).Succeeded);

        Assert.Null(Cluster.Store.Get(ResourceTypes.ResourceQuotas, first.ResourceName.Value, "environment-quota"));
        Assert.Contains(events.Messages, m => m.StartsWith("Removed ResourceQuota shop-staging/environment-quota", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_cpu_quota_for_an_app_without_a_cpu_limit_fails_before_anything_is_applied()
    {
        var spec = Spec() with { Quota = new EnvironmentQuota(1000, null, null), Limits = new ResourceLimits(null, 128) };

        var result = await Backend().ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(ApplyFailureKind.EngineRejected, result.Failure!.Kind);
        Assert.Contains("give the app a CPU limit (limits.cpuMillicores)", result.Failure.Reason);
        Assert.DoesNotContain(Cluster.Requests, r => r.StartsWith("PATCH", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_network_policy_denies_incoming_traffic_except_from_the_namespace_itself_and_the_ingress_controller()
    {
        var spec = Spec();

        var result = await Within(TimeSpan.FromSeconds(15),
            Backend(configure: o => o.IngressControllerNamespace = "traefik").ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        var policy = Cluster.Store.Get(ResourceTypes.NetworkPolicies, spec.ResourceName.Value, "default-deny-ingress")!;
        AssertPaddocksLabels(spec, policy);
        var expected = new JsonObject
        {
            ["podSelector"] = new JsonObject(),
            ["policyTypes"] = new JsonArray("Ingress"),
            ["ingress"] = new JsonArray(new JsonObject
            {
                ["from"] = new JsonArray(
                    new JsonObject { ["podSelector"] = new JsonObject() },
                    new JsonObject
                    {
                        ["namespaceSelector"] = new JsonObject
                        {
                            ["matchExpressions"] = new JsonArray(new JsonObject { ["key"] = "reaches.paddock.dev/shop-staging", ["operator"] = "Exists" }),
                        },
                    },
                    new JsonObject { ["namespaceSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["kubernetes.io/metadata.name"] = "traefik" } } }),
            }),
        };
        Assert.True(JsonNode.DeepEquals(expected, policy["spec"]), policy["spec"]!.ToJsonString());
        Assert.Contains(Cluster.Requests, r => r.StartsWith("PATCH /apis/networking.k8s.io/v1/namespaces/shop-staging/networkpolicies/default-deny-ingress?", StringComparison.Ordinal)
            && r.Contains("fieldManager=paddock") && !r.Contains("force=true"));
    }

    [Fact]
    public async Task An_environment_reaching_another_through_a_service_port_is_labelled_with_it_and_let_in_by_its_policy()
    {
        var target = Spec();
        var consumer = Spec(app: "cart") with { Networks = [target.ResourceName.Value] };
        var backend = Backend();

        Assert.True((await backend.ApplyAsync(target, new EventRecorder(), CancellationToken.None)).Succeeded);
        Assert.True((await backend.ApplyAsync(consumer, new EventRecorder(), CancellationToken.None)).Succeeded);

        var consumerLabels = LabelSelector.LabelsOf(Cluster.Store.Get(ResourceTypes.Namespaces, "", consumer.ResourceName.Value)!);
        var policy = Cluster.Store.Get(ResourceTypes.NetworkPolicies, target.ResourceName.Value, "default-deny-ingress")!;
        var admitted = policy["spec"]!["ingress"]![0]!["from"]!.AsArray()
            .Select(peer => peer!["namespaceSelector"]?["matchExpressions"]?[0]?["key"]?.GetValue<string>()).OfType<string>().Single();
        Assert.Equal("true", consumerLabels[admitted]);
        Assert.False(LabelSelector.LabelsOf(Cluster.Store.Get(ResourceTypes.Namespaces, "", target.ResourceName.Value)!).ContainsKey(admitted));

        // Without the service-port any more, the label goes: the policy no longer admits it.
        Assert.True((await backend.ApplyAsync(consumer with { Networks = [] }, new EventRecorder(), CancellationToken.None)).Succeeded);
        Assert.False(LabelSelector.LabelsOf(Cluster.Store.Get(ResourceTypes.Namespaces, "", consumer.ResourceName.Value)!).ContainsKey(admitted));
    }

    private static void AssertPaddocksLabels(WorkloadSpec spec, JsonObject item)
    {
        var labels = LabelSelector.LabelsOf(item);
        Assert.Equal("paddock", labels[KubeLabels.ManagedBy]);
        Assert.Equal(spec.EnvironmentId.ToString(), labels[KubeLabels.EnvironmentId]);
        Assert.Equal("payments", labels[KubeLabels.Team]);
    }
}
