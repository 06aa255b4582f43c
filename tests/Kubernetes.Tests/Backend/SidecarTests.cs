using System.Text.Json.Nodes;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Testing.FakeApiServer;

namespace Paddock.Backends.Kubernetes.Tests.Backend;

/// <summary>A workload of several containers is one pod template holding all of them.</summary>
public sealed class SidecarTests : FakeClusterTest
{
    private static WorkloadSpec WithSidecar(string sidecarImage = "registry.example/helper:3") => Spec() with
    {
        Sidecars =
        [
            new SidecarSpec
            {
                Name = "helper",
                Image = sidecarImage,
                Command = ["/bin/helper"],
                Args = ["--port", "8081"],
                Variables = new Dictionary<string, string> { ["HELPER_PORT"] = "8081" },
                Secrets = new Dictionary<string, string> { ["DB_PASSWORD"] = "s3cret-value" },
                Limits = new ResourceLimits(100, 64),
            },
        ],
    };

    [Fact]
    public async Task Every_container_of_the_workload_is_in_one_pod_template_and_the_service_routes_to_the_main_one()
    {
        var spec = WithSidecar();
        var backend = Backend();

        var result = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        var ns = spec.ResourceName.Value;
        var deployment = Cluster.Store.Get(ResourceTypes.Deployments, ns, "shop")!;
        var containers = deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["app", "helper"], containers.Select(c => c!["name"]!.GetValue<string>()));
        var helper = containers[1]!;
        Assert.Equal("registry.example/helper:3", helper["image"]!.GetValue<string>());
        Assert.Equal(["/bin/helper"], helper["command"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal(["--port", "8081"], helper["args"]!.AsArray().Select(a => a!.GetValue<string>()));
        var env = helper["env"]!.AsArray();
        Assert.Equal("8081", Assert.Single(env, e => e!["name"]!.GetValue<string>() == "HELPER_PORT")!["value"]!.GetValue<string>());
        var secret = Assert.Single(env, e => e!["name"]!.GetValue<string>() == "DB_PASSWORD")!;
        Assert.Equal(("secrets", "DB_PASSWORD"),
            (secret["valueFrom"]!["secretKeyRef"]!["name"]!.GetValue<string>(), secret["valueFrom"]!["secretKeyRef"]!["key"]!.GetValue<string>()));
        Assert.Null(helper["envFrom"]);
        Assert.Null(helper["ports"]);
        Assert.Equal("100m", helper["resources"]!["limits"]!["cpu"]!.GetValue<string>());
        Assert.DoesNotContain("s3cret-value", deployment.ToJsonString());
        var service = Cluster.Store.Get(ResourceTypes.Services, ns, "shop")!;
        Assert.Equal(8080, service["spec"]!["ports"]![0]!["targetPort"]!.GetValue<int>());

        // Each pod is one instance, whatever the number of its containers; its logs are the main container's.
        var instances = (await backend.ObserveAsync(spec.EnvironmentId, CancellationToken.None)).Instances;
        Assert.Equal(2, instances.Count);
        Assert.All(instances, i => Assert.Equal((InstanceState.Running, "registry.example/web:1"), (i.State, i.Image)));
        var lines = new List<LogLine>();
        await foreach (var line in backend.LogsAsync(spec.EnvironmentId, 10, follow: false, CancellationToken.None)) lines.Add(line);
        Assert.NotEmpty(lines);
    }

    [Fact]
    public async Task A_sidecar_that_crashes_fails_the_rollout_and_breaks_its_pod()
    {
        var spec = WithSidecar("registry.example/helper-crash:3");
        var backend = Backend();

        var result = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.False(result.Succeeded);
        Assert.Contains("CrashLoopBackOff", result.Failure!.Reason);
        Assert.All((await backend.ObserveAsync(spec.EnvironmentId, CancellationToken.None)).Instances,
            i => Assert.NotEqual(InstanceState.Running, i.State));
    }
}
