using System.Net;
using System.Net.Http.Json;
using System.Text;
using Paddock.Domain.Applications;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Workloads;

/// <summary>A Score workload of two containers through the API: planned, applied as a deployment that records both
/// containers, exported with both, and kept by a later deployment made without a workload.</summary>
public sealed class SeveralContainersTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static string TwoContainers(string app, string helperImage = "registry.example.com/shop/helper:1") =>
        $"""
        apiVersion: score.dev/v1b1
        metadata:
          name: {app}
        service:
          ports:
            web:
              port: 8080
        containers:
          {app}:
            image: registry.example.com/shop/web:2.0
            variables:
              DB_PASSWORD: ${"{"}resources.env.DB_PASSWORD{"}"}
            readinessProbe:
              httpGet:
                port: 8080
                path: /
          helper:
            image: {helperImage}
            command: ["/bin/helper"]
            args: ["--port", "8081"]
            variables:
              HELPER_PORT: "8081"
              DB_PASSWORD: ${"{"}resources.env.DB_PASSWORD{"}"}
            resources:
              limits:
                cpu: 100m
                memory: 64Mi
        resources:
          env:
            type: environment

        """;

    [Fact]
    public async Task A_two_container_workload_is_planned_applied_with_both_containers_exported_with_both_and_kept_by_a_form_deploy()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b => b["secrets"] = new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter2" });
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);

        var planned = await PostWorkloadAsync(scenario.Member, app, TwoContainers(app));

        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var plan = await planned.JsonAsync();
        Assert.Equal("Plan: 1 to add, 1 to change, 0 to destroy", plan.GetProperty("summary").GetString());
        var helperPlan = Assert.Single(plan.GetProperty("containers").EnumerateArray(), c => c.GetProperty("name").GetString() == "helper");
        Assert.Equal("Create", helperPlan.GetProperty("action").GetString());

        var applied = await scenario.Member.PostAsync($"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply", null);
        await Api.EnsureAsync(applied, HttpStatusCode.Accepted);
        var deployment = portal.DeploymentsOf(envId)[1];
        Assert.Equal("registry.example.com/shop/web:2.0", deployment.Snapshot.Image);
        var helper = Assert.Single(deployment.Snapshot.Sidecars!);
        Assert.Equal(("helper", "registry.example.com/shop/helper:1"), (helper.Name, helper.Image));
        Assert.Equal(["/bin/helper"], helper.Command!);
        Assert.Equal(["--port", "8081"], helper.Args!);
        Assert.Equal("8081", helper.Variables["HELPER_PORT"]);
        Assert.Equal(["DB_PASSWORD"], helper.SecretNames);
        Assert.Equal((100, 64), (helper.Limits.CpuMillicores, helper.Limits.MemoryMiB));
        await portal.MarkSucceededAsync(deployment.Id);

        var exported = await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "dev")}/workload");
        await Api.EnsureAsync(exported, HttpStatusCode.OK);
        var yaml = await exported.Content.ReadAsStringAsync();
        Assert.Contains("registry.example.com/shop/helper:1", yaml);
        Assert.Contains("HELPER_PORT", yaml);
        Assert.DoesNotContain("hunter2", yaml);
        var replanned = await PostWorkloadAsync(scenario.Member, app, yaml);
        await Api.EnsureAsync(replanned, HttpStatusCode.Created);
        Assert.Equal("Plan: 0 to add, 0 to change, 0 to destroy", (await replanned.JsonAsync()).GetProperty("summary").GetString());

        // A deployment made without a workload (the form's Deploy) runs what the app's workload says: both containers.
        await Api.EnsureAsync(await scenario.Member.PostAsJsonAsync($"{EnvironmentPath(app, "dev")}/deployments", new { }), HttpStatusCode.Accepted);
        var formMade = portal.DeploymentsOf(envId)[2];
        Assert.Equal("registry.example.com/shop/helper:1", Assert.Single(formMade.Snapshot.Sidecars!).Image);
    }

    [Fact]
    public async Task Probes_of_every_container_are_planned_applied_into_the_snapshot_exported_and_kept_by_a_form_deploy()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b => b["secrets"] = new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter2" });
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);
        var text = TwoContainers(app)
            .Replace("        memory: 64Mi\n",
                "        memory: 64Mi\n    readinessProbe:\n      exec:\n        command: [\"cat\", \"/tmp/ready\"]\n" +
                "    livenessProbe:\n      httpGet:\n        port: 8081\n        path: /alive\n", StringComparison.Ordinal)
            .Replace("    image: registry.example.com/shop/web:2.0\n",
                "    image: registry.example.com/shop/web:2.0\n    livenessProbe:\n      exec:\n        command: [\"cat\", \"/tmp/alive\"]\n", StringComparison.Ordinal);
        Assert.Contains("/tmp/ready", text);
        Assert.Contains("/tmp/alive", text);

        var planned = await PostWorkloadAsync(scenario.Member, app, text);

        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var plan = await planned.JsonAsync();
        var mainChanges = Assert.Single(plan.GetProperty("containers").EnumerateArray(), c => c.GetProperty("name").GetString() == app)
            .GetProperty("changes").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Assert.Contains("livenessProbe", mainChanges);
        Assert.Contains("/tmp/alive", plan.GetProperty("text").GetString());
        Assert.Contains("/tmp/ready", plan.GetProperty("text").GetString());

        await Api.EnsureAsync(await scenario.Member.PostAsync($"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply", null), HttpStatusCode.Accepted);
        var deployment = portal.DeploymentsOf(envId)[1];
        Assert.Equal(
            [
                new ContainerProbe(app, ProbePurpose.Liveness, ProbeAction.Command("cat", "/tmp/alive")),
                new ContainerProbe("helper", ProbePurpose.Readiness, ProbeAction.Command("cat", "/tmp/ready")),
                new ContainerProbe("helper", ProbePurpose.Liveness, ProbeAction.Get(8081, "/alive")),
            ],
            deployment.Snapshot.Probes!);
        await portal.MarkSucceededAsync(deployment.Id);

        var exported = await (await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "dev")}/workload")).Content.ReadAsStringAsync();
        Assert.Contains("/tmp/ready", exported);
        var replanned = await PostWorkloadAsync(scenario.Member, app, exported);
        await Api.EnsureAsync(replanned, HttpStatusCode.Created);
        Assert.Equal("Plan: 0 to add, 0 to change, 0 to destroy", (await replanned.JsonAsync()).GetProperty("summary").GetString());

        // A deployment made without a workload (the form's Deploy) runs the workload's probes too.
        await Api.EnsureAsync(await scenario.Member.PostAsJsonAsync($"{EnvironmentPath(app, "dev")}/deployments", new { }), HttpStatusCode.Accepted);
        Assert.Equal(deployment.Snapshot.Probes!, portal.DeploymentsOf(envId)[2].Snapshot.Probes!);
    }

    [Fact]
    public async Task A_workload_whose_main_container_cannot_be_told_is_refused_at_its_containers()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var text = TwoContainers(app).Replace($"  {app}:", "  web:").Replace("    readinessProbe:\n      httpGet:\n        port: 8080\n        path: /\n", "");

        var response = await PostWorkloadAsync(scenario.Member, app, text);

        await Api.EnsureAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("cannot tell which", await response.Content.ReadAsStringAsync());
    }

    private static Task<HttpResponseMessage> PostWorkloadAsync(HttpClient client, string app, string text) =>
        client.PostAsync($"{EnvironmentPath(app, "dev")}/plans", new StringContent(text, Encoding.UTF8, "application/yaml"));
}
