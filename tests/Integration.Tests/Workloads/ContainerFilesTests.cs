using System.Net;
using System.Text;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Workloads;

/// <summary>Score's <c>files</c> through the API: planned per container (a file that takes a secret shows only that
/// it changes), applied into the deployment's snapshot as templates that name the secret (never its value), exported
/// as written, and a file whose source Paddock cannot read refused at its pointer.</summary>
public sealed class ContainerFilesTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static string WithFiles(string app) =>
        $$"""
        apiVersion: score.dev/v1b1
        metadata:
          name: {{app}}
          annotations:
            team: payments
        service:
          ports:
            web:
              port: 8080
        containers:
          {{app}}:
            image: registry.example.com/shop/web:2.0
            variables:
              DB_PASSWORD: ${resources.env.DB_PASSWORD}
            files:
              /etc/shop/app.conf:
                mode: "0600"
                content: |
                  name = ${metadata.name} of ${metadata.annotations.team}
                  password = ${resources.env.DB_PASSWORD}
            readinessProbe:
              httpGet:
                port: 8080
                path: /
          helper:
            image: registry.example.com/shop/helper:1
            files:
              /srv/prices.txt:
                content: "costs $5 and ${not.a.placeholder}"
                noExpand: true
        resources:
          env:
            type: environment

        """;

    [Fact]
    public async Task Files_are_planned_per_container_applied_as_templates_without_secret_values_and_exported_as_written()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync(app: b => b["secrets"] = new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter2" });
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);

        var planned = await PostWorkloadAsync(scenario.Member, app, WithFiles(app));

        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var planText = await planned.Content.ReadAsStringAsync();
        Assert.DoesNotContain("hunter2", planText);
        Assert.Contains("files./etc/shop/app.conf", planText);
        Assert.Contains("(secret content)", planText);
        Assert.Contains("files./srv/prices.txt", planText);
        var plan = await planned.JsonAsync();

        await Api.EnsureAsync(await scenario.Member.PostAsync($"/api/v1/plans/{plan.GetProperty("id").GetGuid()}/apply", null), HttpStatusCode.Accepted);
        var deployment = portal.DeploymentsOf(envId)[1];
        var files = deployment.Snapshot.Files!;
        var conf = Assert.Single(files, f => f.Target == "/etc/shop/app.conf");
        Assert.Equal((app, "0600"), (conf.Container, conf.Mode));
        Assert.Equal($"name = {app} of payments\npassword = ${{resources.env.DB_PASSWORD}}\n", conf.Content);
        var prices = Assert.Single(files, f => f.Target == "/srv/prices.txt");
        Assert.Equal(("helper", "costs $$5 and $${not.a.placeholder}"), (prices.Container, prices.Content));
        await portal.MarkSucceededAsync(deployment.Id);

        var exported = await scenario.Viewer.GetAsync($"{EnvironmentPath(app, "dev")}/workload");
        await Api.EnsureAsync(exported, HttpStatusCode.OK);
        var yaml = await exported.Content.ReadAsStringAsync();
        Assert.Contains("/etc/shop/app.conf", yaml);
        Assert.DoesNotContain("hunter2", yaml);
        var replanned = await PostWorkloadAsync(scenario.Member, app, yaml);
        await Api.EnsureAsync(replanned, HttpStatusCode.Created);
        Assert.Equal("Plan: 0 to add, 0 to change, 0 to destroy", (await replanned.JsonAsync()).GetProperty("summary").GetString());
    }

    [Fact]
    public async Task A_file_with_a_source_and_a_file_taking_an_unknown_value_are_refused_at_their_pointers()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var text = WithFiles(app)
            .Replace("    variables:\n      DB_PASSWORD: ${resources.env.DB_PASSWORD}\n", "")
            .Replace("        mode: \"0600\"\n        content: |\n          name = ${metadata.name} of ${metadata.annotations.team}\n          password = ${resources.env.DB_PASSWORD}\n",
                "        source: ./app.conf\n")
            .Replace("        content: \"costs $5 and ${not.a.placeholder}\"\n        noExpand: true\n", "        content: \"costs ${resources.env.NOT_A_SECRET}\"\n");
        Assert.Contains("source: ./app.conf", text);
        Assert.Contains("NOT_A_SECRET", text);

        var response = await PostWorkloadAsync(scenario.Member, app, text);

        await Api.EnsureAsync(response, HttpStatusCode.UnprocessableEntity);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains($"/containers/{app}/files/~1etc~1shop~1app.conf/source", body);
        Assert.Contains("/containers/helper/files/~1srv~1prices.txt/content", body);
    }

    private static Task<HttpResponseMessage> PostWorkloadAsync(HttpClient client, string app, string text) =>
        client.PostAsync($"{EnvironmentPath(app, "dev")}/plans", new StringContent(text, Encoding.UTF8, "application/yaml"));
}
