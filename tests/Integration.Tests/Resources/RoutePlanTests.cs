using System.Net;
using System.Text;
using Paddock.Domain.Edge;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using static Paddock.Integration.Tests.Deployments.DeploymentTestKit;

namespace Paddock.Integration.Tests.Resources;

/// <summary>Plans of workloads with dns and route resources: planned like the others (no class needed), a route's
/// port checked against the workload's service ports, and a host and path another environment holds refused at the
/// route's host when the plan can know it. No worker runs here: a held route is written as the worker records one.</summary>
public sealed class RoutePlanTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task A_workload_with_a_dns_name_and_a_route_to_it_is_planned_with_both_resources()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();

        var planned = await PlanAsync(scenario.Member, app, "dev", host: "${resources.www.host}", port: "web");

        await Api.EnsureAsync(planned, HttpStatusCode.Created);
        var text = (await planned.JsonAsync()).GetProperty("text").GetString();
        Assert.Contains("www", text);
        Assert.Contains("web", text);
    }

    [Fact]
    public async Task A_route_port_that_is_not_a_service_port_is_refused_at_the_port()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();

        var refused = await PlanAsync(scenario.Member, app, "dev", host: "${resources.www.host}", port: "9999");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var message = Assert.Single((await refused.JsonAsync()).GetProperty("errors").GetProperty("/resources/web/params/port").EnumerateArray()).GetString();
        Assert.Contains("is not one of the workload's service.ports (web: 8080)", message);
    }

    [Fact]
    public async Task A_written_out_host_and_path_another_environment_holds_is_refused_naming_the_holder()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        await scenario.CreateEnvironmentAsync(app, "staging");
        var host = $"{Unique.Name("shop")}.localhost";
        await portal.WithDbAsync(async db =>
        {
            db.HostRoutes.Add(new HostRoute("rheldbydev0000000000", portal.EnvironmentId(app, "dev"), host, "/", DateTime.UtcNow));
            return await db.SaveChangesAsync();
        });

        var refused = await PlanAsync(scenario.Member, app, "staging", host, port: "8080");
        var again = await PlanAsync(scenario.Member, app, "dev", host, port: "8080");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var message = Assert.Single((await refused.JsonAsync()).GetProperty("errors").GetProperty("/resources/web/params/host").EnumerateArray()).GetString();
        Assert.Contains($"{host} path / is already routed to environment dev of {app}", message);
        // The environment holding it may plan it again.
        await Api.EnsureAsync(again, HttpStatusCode.Created);
    }

    private static Task<HttpResponseMessage> PlanAsync(HttpClient client, string app, string env, string host, string port) =>
        client.PostAsync($"{EnvironmentPath(app, env)}/plans", new StringContent(
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
                image: registry.example.com/shop/web:1.0
            resources:
              www:
                type: dns
              web:
                type: route
                params:
                  host: "{host}"
                  path: /
                  port: {port}
            """, Encoding.UTF8, "application/yaml"));
}
