using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Integration.Tests.Applications;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Deployments;

/// <summary>Reads what a deployment left behind that the API does not show: rows, events and Hangfire's queue.</summary>
public static class DeploymentTestKit
{
    public static string EnvironmentPath(string app, string env) => $"/api/v1/apps/{app}/environments/{env}";

    /// <summary>The method and arguments of every job in Hangfire's queue table, as text.</summary>
    public static async Task<List<(string Method, string Arguments, string State)>> EnqueuedJobsAsync(this PortalFixture portal)
    {
        await using var connection = new NpgsqlConnection(portal.OwnerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT invocationdata::text, arguments::text, coalesce(statename, '') FROM hangfire.job ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var jobs = new List<(string, string, string)>();
        while (await reader.ReadAsync())
        {
            using var invocation = JsonDocument.Parse(reader.GetString(0));
            jobs.Add((invocation.RootElement.GetProperty("Method").GetString()!, reader.GetString(1), reader.GetString(2)));
        }
        return jobs;
    }

    public static async Task AssertJobEnqueuedAsync(this PortalFixture portal, string method, Guid argument)
    {
        var jobs = await portal.EnqueuedJobsAsync();
        Assert.Contains(jobs, j => j.Method == method && j.Arguments.Contains(argument.ToString(), StringComparison.OrdinalIgnoreCase) && j.State == "Enqueued");
    }

    public static List<EnvironmentEvent> EventsOf(this PortalFixture portal, Guid environmentId) =>
        portal.WithDb(db => db.EnvironmentEvents.AsNoTracking().Where(e => e.EnvironmentId == environmentId).OrderBy(e => e.Sequence).ToList());

    public static List<Deployment> DeploymentsOf(this PortalFixture portal, Guid environmentId) =>
        portal.WithDb(db => db.Deployments.AsNoTracking().Where(d => d.EnvironmentId == environmentId).OrderBy(d => d.Revision).ToList());

    /// <summary>What a worker does when a deployment passes its probe, written directly: the environment then has a current deployment.</summary>
    public static async Task MarkSucceededAsync(this PortalFixture portal, Guid deploymentId)
    {
        await portal.WithDbAsync(async db =>
        {
            var deployment = await db.Deployments.SingleAsync(d => d.Id == deploymentId);
            var env = await db.Environments.SingleAsync(e => e.Id == deployment.EnvironmentId);
            deployment.Start("test-worker", DateTime.UtcNow);
            deployment.Succeed("sha256:" + new string('a', 64), DateTime.UtcNow);
            env.DeploymentStarted();
            env.DeploymentSucceeded(deployment.Id, "http://test.localhost:5090/", settingsPending: false);
            return await db.SaveChangesAsync();
        });
    }

    public static async Task<(TeamScenario Scenario, string App)> AppWithEnvironmentAsync(
        this PortalFixture portal, string env = "dev", Action<Dictionary<string, object?>>? app = null, object? environment = null)
    {
        var scenario = await TeamScenario.CreateAsync(portal);
        var name = Unique.Name("app");
        await scenario.CreateAppAsync(name, app);
        await scenario.CreateEnvironmentAsync(name, env, environment);
        return (scenario, name);
    }

    public static Guid EnvironmentId(this PortalFixture portal, string app, string env)
    {
        var appName = Domain.Names.AppName.Parse(app);
        var envName = Domain.Names.EnvironmentName.Parse(env);
        return portal.WithDb(db => db.Environments.AsNoTracking()
            .Join(db.Applications, e => e.ApplicationId, a => a.Id, (e, a) => new { e, a })
            .Where(x => x.a.Name == appName && x.e.Name == envName && x.e.DeletedAt == null)
            .Select(x => x.e.Id).Single());
    }

    public static EnvironmentSync SyncOf(this PortalFixture portal, Guid environmentId) =>
        portal.WithDb(db => db.Environments.AsNoTracking().Single(e => e.Id == environmentId).Sync);
}
