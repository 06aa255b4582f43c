using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Deployments;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Deployments;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence.Events;
using Paddock.Portal.Features.Sources;

namespace Paddock.Integration.Tests.Sources;

/// <summary>What the git follower does to a source reaches open environment pages the way every other change does: an
/// environment event (phase <c>git</c>) written with the change and announced with <c>NOTIFY</c>, which the page's
/// subscription turns into a reload of its Source tab. Against a real <c>git daemon</c> and database.</summary>
public sealed class GitFollowerEventsTests(PortalFixture portal) : IClassFixture<PortalFixture>, IAsyncLifetime
{
    private GitServer _git = null!;

    public async Task InitializeAsync() => _git = await GitServer.StartAsync();

    public async Task DisposeAsync() => await _git.DisposeAsync();

    private static Dictionary<string, string> Files(string app, string image, string extra = "") => new()
    {
        ["score.yaml"] = $"""
            apiVersion: score.dev/v1b1
            metadata:
              name: {app}
            service:
              ports:
                web:
                  port: 8080
            containers:
              {app}:
                image: {image}
            {extra}
            """,
    };

    [Fact]
    public async Task Each_commit_the_follower_plans_applies_or_refuses_is_announced_to_the_environments_listeners_and_an_unchanged_branch_is_not()
    {
        var (scenario, app) = await portal.AppWithEnvironmentAsync();
        var envId = portal.EnvironmentId(app, "dev");
        await portal.MarkSucceededAsync(Assert.Single(portal.DeploymentsOf(envId)).Id);
        var repo = await _git.CreateRepositoryAsync(Unique.Name("repo"));
        await repo.CommitAsync("First workload", Files(app, "registry.example.com/shop/web:1.0"));
        var registered = await scenario.Member.PostAsJsonAsync($"/api/v1/teams/{scenario.TeamName}/repositories", new { url = repo.Url });
        await Api.EnsureAsync(registered, HttpStatusCode.Created);
        var repositoryId = (await registered.JsonAsync()).GetProperty("id").GetGuid();
        var followed = await scenario.Member.PutAsJsonAsync($"/api/v1/apps/{app}/environments/dev/source",
            new { repository = repo.Url, @ref = "main", path = "score.yaml", autoApply = true });
        await Api.EnsureAsync(followed, HttpStatusCode.OK);
        await portal.MarkSucceededAsync(portal.DeploymentsOf(envId)[1].Id);

        var notices = new ConcurrentQueue<EventNotice>();
        using var subscription = portal.Services.GetRequiredService<EventNotifications>().Subscribe(notices.Enqueue);

        var second = await repo.CommitAsync("Serve 2.0", Files(app, "registry.example.com/shop/web:2.0"));
        await SyncAsync(repositoryId);
        var applied = LastGitEvent(envId);
        Assert.Equal(EventLevel.Info, applied.Level);
        Assert.Equal($"Commit {second[..12]} \"Serve 2.0\" by Ada Tester <ada@example.com> is applied: deployment #3.", applied.Message);
        Assert.Equal(portal.DeploymentsOf(envId)[2].Id, applied.DeploymentId);
        await Eventually.HoldsAsync(() => notices.Any(n => n.EnvironmentId == envId && n.Sequence >= applied.Sequence),
            "the environment's listeners hear of the applied commit", TimeSpan.FromSeconds(10));

        // Nothing moved: nothing to tell.
        await SyncAsync(repositoryId);
        Assert.Equal(applied.Sequence, (LastGitEvent(envId)).Sequence);

        var bad = await repo.CommitAsync("Typo", Files(app, "registry.example.com/shop/web:3.0", "    replicasz: 3\n"));
        await SyncAsync(repositoryId);
        var refused = LastGitEvent(envId);
        Assert.Equal(EventLevel.Error, refused.Level);
        Assert.Contains("score.yaml:11:", refused.Message);
        Assert.Contains(bad[..12], refused.Message);
        await Eventually.HoldsAsync(() => notices.Any(n => n.EnvironmentId == envId && n.Sequence >= refused.Sequence),
            "the environment's listeners hear of the refused commit", TimeSpan.FromSeconds(10));
    }

    private async Task SyncAsync(Guid repositoryId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<GitFollower>().SyncRepositoryAsync(repositoryId, CancellationToken.None);
    }

    private EnvironmentEvent LastGitEvent(Guid envId) => portal.WithDb(db => db.EnvironmentEvents.AsNoTracking()
        .Where(e => e.EnvironmentId == envId && e.Phase == GitFollower.Phase).OrderByDescending(e => e.Sequence).First());
}
