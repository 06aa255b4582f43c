using System.Net;
using k8s;
using k8s.Models;
using Paddock.Backends.Kubernetes;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Paddock.Integration.Tests.Scripts;

/// <summary>deploy/kubernetes/paddock.yaml cannot be applied to a real cluster here (none can run on these machines),
/// so what can be checked without one is: every document is a Kubernetes object the official client reads, each
/// container runs the image docker-compose.yml builds for its app from deploy/docker/Dockerfile, in Production, with
/// settings that app reads, and probes on endpoints that answer.</summary>
public sealed class KubernetesManifestTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static readonly string Root = ComposeFileTests.RepositoryRoot();
    private static string Manifest => File.ReadAllText(Path.Combine(Root, "deploy/kubernetes/paddock.yaml"));

    /// <summary>The compose service each workload's containers stand for.</summary>
    private static readonly Dictionary<string, string> ServiceOf = new()
    {
        ["paddock-migrate"] = "migrator",
        ["paddock-portal"] = "portal",
        ["paddock-workers"] = "workers",
        ["paddock-edge"] = "edge",
    };

    [Fact]
    public void Every_document_is_a_kubernetes_object_of_the_paddock_system_namespace()
    {
        var objects = KubernetesYaml.LoadAllFromString(Manifest);

        Assert.Equal(
            ["Deployment/paddock-edge", "Deployment/paddock-portal", "Deployment/paddock-workers", "Job/paddock-migrate", "Namespace/paddock-system",
             "PersistentVolumeClaim/paddock-portal-data", "Service/paddock-edge", "Service/paddock-portal"],
            objects.Cast<IKubernetesObject<V1ObjectMeta>>().Select(o => $"{o.Kind}/{o.Metadata.Name}").Order(StringComparer.Ordinal));
        Assert.All(objects.Cast<IKubernetesObject<V1ObjectMeta>>().Where(o => o is not V1Namespace),
            o => Assert.Equal("paddock-system", o.Metadata.NamespaceProperty));
        // rbac.yaml (applied first) makes the service account the portal and workers use.
        var rbac = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Root, "deploy/kubernetes/rbac.yaml")));
        Assert.Contains(rbac.OfType<V1ServiceAccount>(), a => a.Metadata.Name == "paddock" && a.Metadata.NamespaceProperty == "paddock-system");
        foreach (var name in new[] { "paddock-portal", "paddock-workers" })
            Assert.Equal("paddock", Deployment(name).Spec.Template.Spec.ServiceAccountName);
    }

    [Fact]
    public void Each_container_runs_the_image_compose_builds_for_its_app_from_the_dockerfile()
    {
        var services = ComposeServices();
        foreach (var (workload, container) in Containers())
        {
            var service = services[ServiceOf[workload]];
            var build = (Dictionary<object, object>)service["build"];
            Assert.Equal("deploy/docker/Dockerfile", build["dockerfile"]);
            Assert.EndsWith(".csproj", (string)((Dictionary<object, object>)build["args"])["PROJECT"]);
            Assert.Equal(service["image"], container.Image);
        }
    }

    [Fact]
    public void Each_container_runs_in_production_with_only_settings_its_app_reads()
    {
        var services = ComposeServices();
        foreach (var (workload, container) in Containers())
        {
            var env = container.Env.ToDictionary(e => e.Name);
            Assert.Equal("Production", env["ASPNETCORE_ENVIRONMENT"].Value);
            var compose = ((Dictionary<object, object>)services[ServiceOf[workload]]["environment"]).Keys.Cast<string>().ToHashSet();
            // The workers are a generic host, which reads DOTNET_ENVIRONMENT instead.
            Assert.Equal(workload == "paddock-workers", env.ContainsKey("DOTNET_ENVIRONMENT"));
            if (env.TryGetValue("DOTNET_ENVIRONMENT", out var hostEnvironment)) Assert.Equal("Production", hostEnvironment.Value);
            foreach (var name in env.Keys)
                Assert.True(name is "ASPNETCORE_ENVIRONMENT" or "DOTNET_ENVIRONMENT" || compose.Contains(name) || IsOptionTheAppReads(name),
                    $"{workload}: {name} is neither set by docker-compose.yml for {ServiceOf[workload]} nor an option Paddock reads");
            Assert.Contains("ConnectionStrings__Paddock", env.Keys);
            // The schema owner's credentials are the migrator's only, as in docker-compose.yml and scripts/start-app.sh.
            Assert.Equal(workload == "paddock-migrate", env.ContainsKey("ConnectionStrings__PaddockOwner"));
            Assert.Equal(workload == "paddock-migrate", compose.Contains("ConnectionStrings__PaddockOwner"));
        }
    }

    [Fact]
    public void Secrets_are_referenced_by_keys_that_the_example_declares_and_the_example_holds_no_real_value()
    {
        var example = KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Root, "deploy/kubernetes/paddock-secrets.example.yaml")))
            .Cast<V1Secret>().ToDictionary(s => s.Metadata.Name);
        var references = Containers().SelectMany(c => c.Container.Env).Where(e => e.ValueFrom?.SecretKeyRef is not null)
            .Select(e => e.ValueFrom.SecretKeyRef).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, r => Assert.Contains(r.Key, example[r.Name].StringData.Keys));
        Assert.All(example.Values.SelectMany(s => s.StringData.Values), value => Assert.Contains("CHANGE-ME", value));
        // Nothing secret is written into the manifest itself.
        Assert.DoesNotContain(KubernetesYaml.LoadAllFromString(Manifest), o => o is V1Secret);
    }

    [Fact]
    public async Task The_portals_probes_answer_on_the_portal_and_the_edges_are_the_edges_health_page()
    {
        var portalContainer = Assert.Single(Deployment("paddock-portal").Spec.Template.Spec.Containers);
        var probes = new[] { portalContainer.LivenessProbe, portalContainer.ReadinessProbe, portalContainer.StartupProbe };
        Assert.All(probes, p => Assert.NotNull(p));
        foreach (var probe in probes)
        {
            Assert.Equal("http", probe.HttpGet.Port.Value);
            var answer = await portal.ClientWithToken(null).GetAsync(probe.HttpGet.Path);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        Assert.Equal("/readyz", portalContainer.ReadinessProbe.HttpGet.Path);

        var edge = Assert.Single(Deployment("paddock-edge").Spec.Template.Spec.Containers);
        Assert.Equal("/_edge/healthz", edge.LivenessProbe.HttpGet.Path);
        Assert.Equal("/_edge/healthz", edge.ReadinessProbe.HttpGet.Path);
        // The edge is not part of this test's portal: its health page is read from its source.
        var edgeSource = File.ReadAllText(Path.Combine(Root, "src/Edge/EdgeSetup.cs"));
        Assert.Contains("StartsWithSegments(\"/_edge\"", edgeSource);
        Assert.Contains("page == \"/healthz\"", edgeSource);

        // The probes' named port is where the app listens: the edge would otherwise listen on 127.0.0.1:5090.
        foreach (var container in new[] { portalContainer, edge })
        {
            Assert.Equal(8080, Assert.Single(container.Ports, p => p.Name == "http").ContainerPort);
            Assert.Equal("http://+:8080", container.Env.Single(e => e.Name == "ASPNETCORE_URLS").Value);
        }
    }

    [Fact]
    public void Every_container_asks_for_cpu_and_memory_and_limits_its_memory()
    {
        Assert.All(Containers(), c =>
        {
            Assert.True(c.Container.Resources.Requests.ContainsKey("cpu"), $"{c.Workload} requests no cpu");
            Assert.True(c.Container.Resources.Requests.ContainsKey("memory"), $"{c.Workload} requests no memory");
            Assert.True(c.Container.Resources.Limits.ContainsKey("memory"), $"{c.Workload} limits no memory");
        });
    }

    /// <summary>A setting docker-compose.yml does not use, but Paddock binds: <c>Paddock__X</c> for a property of
    /// <see cref="PaddockOptions"/>, <c>Backends__name__X</c> for <c>Kind</c> or a Kubernetes backend option.</summary>
    private static bool IsOptionTheAppReads(string name)
    {
        var parts = name.Split("__");
        return parts switch
        {
            ["Paddock", var option] => typeof(PaddockOptions).GetProperty(option) is not null,
            ["Backends", _, "Kind"] => true,
            ["Backends", _, var option] => typeof(KubernetesBackendOptions).GetProperty(option) is not null,
            _ => false,
        };
    }

    private static List<(string Workload, V1Container Container)> Containers()
    {
        var objects = KubernetesYaml.LoadAllFromString(Manifest);
        var pods = objects.OfType<V1Deployment>().Select(d => (d.Metadata.Name, d.Spec.Template.Spec))
            .Concat(objects.OfType<V1Job>().Select(j => (j.Metadata.Name, j.Spec.Template.Spec)));
        var containers = pods.SelectMany(p => p.Spec.Containers.Select(c => (p.Name, c))).ToList();
        Assert.Equal(ServiceOf.Keys.Order(), containers.Select(c => c.Name).Order());
        return containers;
    }

    private static V1Deployment Deployment(string name) =>
        KubernetesYaml.LoadAllFromString(Manifest).OfType<V1Deployment>().Single(d => d.Metadata.Name == name);

    /// <summary>docker-compose.yml's services as YAML maps, with its <c>&lt;&lt;: *app-env</c> merges resolved.</summary>
    private static Dictionary<string, Dictionary<object, object>> ComposeServices()
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine(Root, "docker-compose.yml")));
        var compose = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
        return ((Dictionary<object, object>)compose["services"]).ToDictionary(s => (string)s.Key, s => (Dictionary<object, object>)s.Value);
    }
}
