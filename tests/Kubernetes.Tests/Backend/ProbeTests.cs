using System.Text.Json.Nodes;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Testing.FakeApiServer;

namespace Paddock.Backends.Kubernetes.Tests.Backend;

/// <summary>The workload's readiness and liveness probes (HTTP GET and exec) are in every container of the applied pod
/// template, with Paddock's period, timeout and threshold.</summary>
public sealed class ProbeTests : FakeClusterTest
{
    private static JsonArray ContainersOf(JsonNode deployment) => deployment["spec"]!["template"]!["spec"]!["containers"]!.AsArray();

    private static string[] ExecOf(JsonNode? probe) => probe!["exec"]!["command"]!.AsArray().Select(a => a!.GetValue<string>()).ToArray();

    /// <summary>An IntOrString port, however the client writes it.</summary>
    private static int PortOf(JsonNode? probe) => int.Parse(probe!["httpGet"]!["port"]!.ToJsonString().Trim('"'), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Readiness_and_liveness_probes_of_every_container_are_in_the_applied_pod_template()
    {
        var spec = Spec() with
        {
            Readiness = ProbeAction.Command("test", "-f", "/tmp/ready"),
            Liveness = ProbeAction.Get(9090, "/alive"),
            Sidecars =
            [
                new SidecarSpec
                {
                    Name = "helper",
                    Image = "registry.example/helper:3",
                    Readiness = ProbeAction.Get(8081, "/ready"),
                    Liveness = ProbeAction.Command("sh", "-c", "test -f /tmp/alive"),
                },
                new SidecarSpec { Name = "quiet", Image = "registry.example/quiet:1" },
            ],
        };
        var backend = Backend();

        var result = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        var containers = ContainersOf(Cluster.Store.Get(ResourceTypes.Deployments, spec.ResourceName.Value, "shop")!);
        var (app, helper, quiet) = (containers[0]!, containers[1]!, containers[2]!);
        Assert.Equal(["test", "-f", "/tmp/ready"], ExecOf(app["readinessProbe"]));
        Assert.Null(app["readinessProbe"]!["httpGet"]);
        Assert.Equal(("/alive", 9090), (app["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>(), PortOf(app["livenessProbe"])));
        Assert.Equal(("/ready", 8081), (helper["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>(), PortOf(helper["readinessProbe"])));
        Assert.Equal(["sh", "-c", "test -f /tmp/alive"], ExecOf(helper["livenessProbe"]));
        Assert.Equal((ProbeDefaults.PeriodSeconds, ProbeDefaults.TimeoutSeconds, ProbeDefaults.FailureThreshold),
            (helper["livenessProbe"]!["periodSeconds"]!.GetValue<int>(), helper["livenessProbe"]!["timeoutSeconds"]!.GetValue<int>(),
                helper["livenessProbe"]!["failureThreshold"]!.GetValue<int>()));
        Assert.Equal(spec.HealthCheck.TimeoutSeconds, helper["livenessProbe"]!["initialDelaySeconds"]!.GetValue<int>());
        Assert.Null(quiet["readinessProbe"]);
        Assert.Null(quiet["livenessProbe"]);
    }

    [Fact]
    public async Task Without_probes_of_the_workload_the_main_container_keeps_its_health_check_as_readiness_and_liveness()
    {
        var spec = Spec() with { HealthCheck = new HealthCheck(HealthCheckKind.Http, "/healthz") };
        var backend = Backend();

        var result = await Within(TimeSpan.FromSeconds(15), backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None));

        Assert.True(result.Succeeded, result.Failure?.Reason);
        var app = ContainersOf(Cluster.Store.Get(ResourceTypes.Deployments, spec.ResourceName.Value, "shop")!)[0]!;
        Assert.Equal("/healthz", app["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/healthz", app["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Null(app["livenessProbe"]!["exec"]);
    }
}
