using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Applications;
using Paddock.Domain.Delivery;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;
using Paddock.Domain.Teams;
using Paddock.Domain.Tickets;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;
using Paddock.Portal.Features.Tickets;

namespace Paddock.Integration.Tests.Delivery;

/// <summary>Hand-made delivery history written straight to the database: apps, environments per stage, deployments
/// with the times and outcomes a test names, and tickets through the same registry the API uses.</summary>
public sealed class DeliveryWorld(PortalFixture portal, Team team)
{
    public Team Team { get; } = team;
    private readonly Dictionary<(string App, Stage Stage), (Application App, AppEnvironment Env)> _envs = [];

    public static async Task<DeliveryWorld> CreateAsync(PortalFixture portal, TeamScenario scenario) => new(portal, scenario.Team);

    public async Task<Guid> DeployAsync(string app, Stage stage, DateTime finishedAt, DeploymentStatus status = DeploymentStatus.Succeeded,
        string? message = null, Guid? redeployOf = null, params string[] tickets)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        if (!_envs.TryGetValue((app, stage), out var target))
        {
            var application = _envs.Where(e => e.Key.App == app).Select(e => e.Value.App).FirstOrDefault();
            if (application is null) db.Applications.Add(application = new Application(Domain.Names.AppName.Parse(Unique.Name(app)), Team.Id, "localhost/paddock-demo:1", 8080, finishedAt));
            else db.Attach(application);
            var env = new AppEnvironment(application, EnvironmentName.Parse(stage.ToString().ToLowerInvariant()), stage, "docker", "test-setup", finishedAt);
            db.Environments.Add(env);
            _envs[(app, stage)] = target = (application, env);
        }
        else
        {
            target = (await db.Applications.FindAsync(target.App.Id) ?? throw new InvalidOperationException(), await db.Environments.FindAsync(target.Env.Id) ?? throw new InvalidOperationException());
            _envs[(app, stage)] = target;
        }
        var deployment = new Deployment(target.Env.Id, target.App.Id, target.Env.NextRevision(), DeploymentSnapshot.Of(target.App, target.Env, []),
            "test-setup", "deployer", tickets, message, redeployOf, null, finishedAt.AddMinutes(-10));
        deployment.Start("test-worker", finishedAt.AddMinutes(-9));
        if (status == DeploymentStatus.Succeeded) deployment.Succeed(null, finishedAt);
        else deployment.Fail("it broke", finishedAt);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        return deployment.Id;
    }

    public string AppName(string app) => _envs.First(e => e.Key.App == app).Value.App.Name.Value;

    public async Task TicketAsync(string key, DateTime? createdAt, DateTime? firstCommitAt = null, TicketType type = TicketType.Feature, string? title = null)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<TicketRegistry>();
        await registry.RecordAsync(Team.Id, [new TicketFacts(key, title ?? $"Ticket {key}", null, type, createdAt, firstCommitAt)], "test", CancellationToken.None);
    }
}
