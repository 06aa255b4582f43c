using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Domain.Environments;
using Paddock.Workers.Rollout;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Rollout;

/// <summary>The rollout's route step behind Paddock's edge (<see cref="EdgeRouter"/>), against the real edge: switch,
/// acknowledgement, probe through the stable URL, and what a failure leaves behind.</summary>
[Collection(WorkerCollection.Name)]
public sealed class EdgeRouterTests(WorkerWorld world)
{
    private static readonly HealthCheck Health = new(HealthCheckKind.Http, "/health", IntervalSeconds: 1, TimeoutSeconds: 5);

    [Fact]
    public async Task A_deployment_that_does_not_answer_through_the_edge_fails_and_the_route_that_served_before_is_put_back()
    {
        await using var serving = await StartUpstreamAsync(healthy: true);
        await using var broken = await StartUpstreamAsync(healthy: false);
        var (environment, before, next) = await EnvironmentWithTwoDeploymentsAsync();
        Assert.Equal(RouteOutcome.Served, (await RouteAsync(Request(environment, before, serving, goesLive: true))).Outcome);

        var result = await RouteAsync(Request(environment, next, broken, goesLive: true));

        Assert.Equal(RouteOutcome.Failed, result.Outcome);
        Assert.Contains("did not answer through the edge", result.Reason);
        Assert.Equal(before, await RoutedDeploymentAsync(environment.Id));
    }

    [Fact]
    public async Task A_repair_that_does_not_answer_through_the_edge_keeps_the_route_on_the_deployment_that_serves()
    {
        await using var serving = await StartUpstreamAsync(healthy: true);
        await using var broken = await StartUpstreamAsync(healthy: false);
        var (environment, current, _) = await EnvironmentWithTwoDeploymentsAsync();
        Assert.Equal(RouteOutcome.Served, (await RouteAsync(Request(environment, current, serving, goesLive: true))).Outcome);

        var result = await RouteAsync(Request(environment, current, broken, goesLive: false));

        Assert.Equal(RouteOutcome.Failed, result.Outcome);
        var route = await world.WithDb(db => db.EdgeRoutes.AsNoTracking().SingleAsync(r => r.EnvironmentId == environment.Id));
        Assert.Equal([broken.Urls.Single()], route.Upstreams);
    }

    [Fact]
    public async Task A_deployment_asked_to_stop_is_not_switched_to_and_says_why()
    {
        await using var serving = await StartUpstreamAsync(healthy: true);
        var (environment, _, next) = await EnvironmentWithTwoDeploymentsAsync();
        await world.MarkCancelRequestedAsync(next);

        var refused = await RouteAsync(Request(environment, next, serving, goesLive: true) with
        {
            StopReason = _ => Task.FromResult<string?>("Cancelled while deploying."),
        });
        Assert.Equal((RouteOutcome.Stopped, "Cancelled while deploying."), (refused.Outcome, refused.Reason));
        Assert.Null(await RoutedDeploymentAsync(environment.Id));
    }

    private async Task<(AppEnvironment Environment, Guid First, Guid Second)> EnvironmentWithTwoDeploymentsAsync()
    {
        var environment = await world.CreateEnvironmentAsync();
        return (environment, await world.QueueDeploymentAsync(environment.Id), await world.QueueDeploymentAsync(environment.Id));
    }

    private static RouteRequest Request(AppEnvironment environment, Guid deploymentId, WebApplication upstream, bool goesLive)
    {
        var uri = new Uri(upstream.Urls.Single());
        return new RouteRequest
        {
            EnvironmentId = environment.Id,
            ResourceName = environment.ResourceName,
            DeploymentId = deploymentId,
            Revision = 1,
            Endpoints = [new HostEndpoint(uri.Host, uri.Port)],
            HealthCheck = Health,
            GoesLive = goesLive,
        };
    }

    private async Task<RouteResult> RouteAsync(RouteRequest request)
    {
        await using var scope = world.Host.Services.CreateAsyncScope();
        return await new EdgeRouter(scope.ServiceProvider.GetRequiredService<EdgeSwitch>()).RouteAsync(request, default);
    }

    private Task<Guid?> RoutedDeploymentAsync(Guid environmentId) =>
        world.WithDb(db => db.EdgeRoutes.AsNoTracking().Where(r => r.EnvironmentId == environmentId).Select(r => (Guid?)r.DeploymentId).SingleOrDefaultAsync());

    private static async Task<WebApplication> StartUpstreamAsync(bool healthy)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapGet("/health", () => healthy ? Results.Ok("ok") : Results.StatusCode(503));
        await app.StartAsync();
        return app;
    }
}
