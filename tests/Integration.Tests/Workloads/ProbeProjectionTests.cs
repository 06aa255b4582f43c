using Paddock.Domain.Applications;
using Paddock.Portal.Features.Workloads;
using Paddock.Workloads;
using Paddock.Workloads.Source;
using Paddock.Workloads.Validation;

namespace Paddock.Integration.Tests.Workloads;

/// <summary>How a workload's probes are read (<see cref="WorkloadProjection.Read"/>), written back
/// (<see cref="WorkloadProjection.ToWorkload"/>) and refused: pure, no database.</summary>
public sealed class ProbeProjectionTests
{
    private static string Workload(string web = "", string helper = "") => $"""
        apiVersion: score.dev/v1b1
        metadata:
          name: shop
        service:
          ports:
            web:
              port: 8080
        containers:
          shop:
            image: registry.example.com/shop:1
        {web}
          helper:
            image: registry.example.com/helper:1
        {helper}
        """;

    private static (WorkloadProjection? Projection, IReadOnlyList<WorkloadError> Errors) Read(string text)
    {
        var load = WorkloadLoader.Load(text, WorkloadRules.Default);
        Assert.True(load.Workload is not null, string.Join("; ", load.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        return WorkloadProjection.Read(load.Workload!, load.Source, []);
    }

    [Fact]
    public void Liveness_exec_and_sidecar_probes_are_read_as_probes_and_an_http_readiness_on_the_service_port_stays_the_health_check()
    {
        var (projection, errors) = Read(Workload(
            web: """
                    readinessProbe:
                      httpGet:
                        port: 8080
                        path: /ready
                    livenessProbe:
                      exec:
                        command: ["cat", "/tmp/alive"]
                """,
            helper: """
                    readinessProbe:
                      exec:
                        command: ["test", "-f", "/tmp/ready"]
                    livenessProbe:
                      httpGet:
                        port: 9090
                        path: /alive
                """));

        Assert.Empty(errors);
        Assert.Equal((HealthCheckKind.Http, "/ready"), (projection!.HealthCheck, projection.HealthCheckPath));
        Assert.Equal(
            [
                new ContainerProbe("shop", ProbePurpose.Liveness, ProbeAction.Command("cat", "/tmp/alive")),
                new ContainerProbe("helper", ProbePurpose.Readiness, ProbeAction.Command("test", "-f", "/tmp/ready")),
                new ContainerProbe("helper", ProbePurpose.Liveness, ProbeAction.Get(9090, "/alive")),
            ],
            projection.Probes);
    }

    [Fact]
    public void An_exec_readiness_probe_of_the_main_container_is_a_probe_beside_a_tcp_health_check_and_survives_the_round_trip()
    {
        var (projection, errors) = Read(Workload(web: """
                readinessProbe:
                  exec:
                    command: ["cat", "/tmp/ready"]
            """));

        Assert.Empty(errors);
        Assert.Equal(HealthCheckKind.Tcp, projection!.HealthCheck);
        Assert.Equal([new ContainerProbe("shop", ProbePurpose.Readiness, ProbeAction.Command("cat", "/tmp/ready"))], projection.Probes);
        var load = WorkloadLoader.Load(Workload(web: """
                readinessProbe:
                  exec:
                    command: ["cat", "/tmp/ready"]
            """), WorkloadRules.Default);
        var written = projection.ToWorkload(WorkloadShape.Of(load.Workload!, "shop"));
        Assert.Equal(["cat", "/tmp/ready"], written.Containers["shop"].ReadinessProbe!.Exec!.Command);
        Assert.Equal(projection.Probes, WorkloadProjection.Read(written, null, []).Projection!.Probes);
        // The form's HTTP health check takes the place of the main container's exec readiness probe.
        Assert.Empty(projection.ProbesBeside(HealthCheckKind.Http));
    }

    [Fact]
    public void A_probe_with_both_httpGet_and_exec_runs_the_exec_probe_as_the_specification_prefers()
    {
        var (projection, errors) = Read(Workload(helper: """
                livenessProbe:
                  httpGet:
                    port: 8081
                    path: /
                  exec:
                    command: ["cat", "/tmp/alive"]
            """));

        Assert.Empty(errors);
        Assert.Equal([new ContainerProbe("helper", ProbePurpose.Liveness, ProbeAction.Command("cat", "/tmp/alive"))], projection!.Probes);
    }

    [Fact]
    public void Probes_are_written_back_into_their_containers_so_a_plan_shows_them()
    {
        var (projection, _) = Read(Workload(helper: """
                livenessProbe:
                  exec:
                    command: ["cat", "/tmp/alive"]
                readinessProbe:
                  httpGet:
                    port: 8081
                    path: /
            """));

        var written = projection!.ToWorkload(WorkloadShape.For("shop"));

        var helper = written.Containers["helper"];
        Assert.Equal(["cat", "/tmp/alive"], helper.LivenessProbe!.Exec!.Command);
        Assert.Equal((8081, "/"), (helper.ReadinessProbe!.HttpGet!.Port, helper.ReadinessProbe.HttpGet.Path));
        Assert.Null(written.Containers["shop"].LivenessProbe);
    }

    [Theory]
    [InlineData("web", "readinessProbe:\n      httpGet:\n        port: 8080\n        path: /\n        scheme: HTTPS", "/containers/shop/readinessProbe/httpGet")]
    [InlineData("helper", "livenessProbe:\n      httpGet:\n        port: 8081\n        path: /\n        host: example.com", "/containers/helper/livenessProbe/httpGet")]
    [InlineData("helper", "readinessProbe:\n      httpGet:\n        port: 8081\n        path: /\n        httpHeaders:\n        - name: X-A\n          value: b", "/containers/helper/readinessProbe/httpGet")]
    [InlineData("web", "readinessProbe:\n      httpGet:\n        port: 9999\n        path: /", "/containers/shop/readinessProbe/httpGet/port")]
    [InlineData("helper", "livenessProbe:\n      exec:\n        command: []", "/containers/helper/livenessProbe/exec/command")]
    public void What_Paddock_cannot_honour_is_refused_at_its_pointer(string container, string probe, string pointer)
    {
        var indented = "    " + probe.Replace("\n", "\n    ", StringComparison.Ordinal);
        var (projection, errors) = Read(container == "web" ? Workload(web: indented) : Workload(helper: indented));

        Assert.Null(projection);
        var error = Assert.Single(errors);
        Assert.Equal(pointer, error.Pointer);
        Assert.NotNull(error.Position);
    }
}
