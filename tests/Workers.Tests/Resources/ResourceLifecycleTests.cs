using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paddock.Domain.Deployments;
using Paddock.Domain.Resources;
using Paddock.Persistence.Secrets;
using Paddock.Testing;
using Paddock.Workers.Reconciliation;
using Paddock.Workers.Resources;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Resources;

/// <summary>A workload's postgres resource through the real deploy and teardown jobs: a real Postgres server (the one
/// ./test.sh starts) as the class's server, real Podman for the container.</summary>
[Collection(WorkerCollection.Name)]
public sealed class ResourceLifecycleTests(WorkerWorld world)
{
    [Fact]
    public async Task A_deploy_provisions_the_database_before_the_container_which_gets_its_url_and_teardown_drops_it()
    {
        var className = await CreateClassAsync(AdminPort);
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await QueueWithDatabaseAsync(environment.Id, className);

        await world.DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.True(deployment.Status == DeploymentStatus.Succeeded, deployment.FailureReason);
        var resource = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.EnvironmentId == environment.Id));
        Assert.Equal((ResourceStatus.Ready, "db", "postgres", className), (resource.Status, resource.Name, resource.Type, resource.Class));
        Assert.Equal(["password", "url"], resource.ProtectedSecrets.Keys.Order());
        Assert.True(await DatabaseExistsAsync(resource.Uid));

        // The container got the database's URL and host; the URL works.
        var container = Assert.Single(await world.ContainersAsync(environment.Id));
        var env = (await world.Engine.Containers.InspectContainerAsync(container.ID)).Config!.Env
            .Select(e => e.Split('=', 2)).ToDictionary(e => e[0], e => e[1]);
        var url = new Uri(env["DATABASE_URL"]);
        Assert.Equal(resource.Uid, url.AbsolutePath.TrimStart('/'));
        Assert.Equal("127.0.0.1", env["DB_HOST"]);
        Assert.Equal($"postgres on 127.0.0.1:{AdminPort}", env["DB_LABEL"]);
        var password = Uri.UnescapeDataString(url.UserInfo.Split(':', 2)[1]);
        await using (var asTenant = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString)
                         { Username = resource.Uid, Password = password, Database = resource.Uid, Pooling = false }.ConnectionString))
            await asTenant.OpenAsync();

        // The timeline says the database was ready before any container started; no event holds the password.
        var events = await world.EventsAsync(environment.Id);
        var ready = events.FindIndex(e => e.Message == "database db ready");
        Assert.True(ready >= 0, string.Join("\n", events.Select(e => e.Message)));
        Assert.DoesNotContain(events.Take(ready), e => e.Phase != "queued" && e.Phase != "deploying" && e.Phase != ResourceLifecycle.Phase);
        Assert.DoesNotContain(events, e => e.Message.Contains(password, StringComparison.Ordinal));
        Assert.DoesNotContain(password, System.Text.Json.JsonSerializer.Serialize(deployment.Snapshot));

        await world.BeginDeletionAsync(environment.Id);
        await world.TearDownAsync(environment.Id);

        Assert.True((await world.EnvironmentAsync(environment.Id)).IsDeleted);
        Assert.False(await DatabaseExistsAsync(resource.Uid));
        Assert.False(await RoleExistsAsync(resource.Uid));
        var gone = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.Id == resource.Id));
        Assert.Equal(ResourceStatus.Deleted, gone.Status);
        Assert.Empty(gone.ProtectedSecrets);
        Assert.Contains(await world.EventsAsync(environment.Id), e => e.Message == "database db removed");
    }

    [Fact]
    public async Task A_class_whose_server_is_down_fails_the_deployment_before_any_container_starts()
    {
        var downPort = LoopbackPort.Free();
        var className = await CreateClassAsync(downPort);
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await QueueWithDatabaseAsync(environment.Id, className);

        await world.DeployAsync(deploymentId);

        var deployment = await world.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        Assert.StartsWith("database db could not be provisioned: ", deployment.FailureReason);
        Assert.Contains($"(127.0.0.1:{downPort}) cannot be reached", deployment.FailureReason);
        Assert.Empty(await world.ContainersAsync(environment.Id));
        var resource = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.EnvironmentId == environment.Id));
        Assert.Equal(ResourceStatus.Failed, resource.Status);
        Assert.Contains("cannot be reached", resource.Reason);
    }

    [Fact]
    public async Task A_teardown_whose_server_is_down_leaves_the_environment_deleting_with_the_reason_and_finishes_once_it_is_back()
    {
        var className = await CreateClassAsync(AdminPort);
        var environment = await world.CreateEnvironmentAsync();
        await world.DeployAsync(await QueueWithDatabaseAsync(environment.Id, className));
        var uid = await world.WithDb(db => db.EnvironmentResources.Where(r => r.EnvironmentId == environment.Id).Select(r => r.Uid).SingleAsync());
        await PointClassAtAsync(className, LoopbackPort.Free());
        await world.BeginDeletionAsync(environment.Id);

        await Assert.ThrowsAsync<ResourceDeprovisionException>(() => world.TearDownAsync(environment.Id));

        Assert.False((await world.EnvironmentAsync(environment.Id)).IsDeleted);
        var stuck = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.EnvironmentId == environment.Id));
        Assert.Equal(ResourceStatus.Deprovisioning, stuck.Status);
        Assert.Contains("cannot be reached", stuck.Reason);
        Assert.Contains(await world.EventsAsync(environment.Id), e => e.Message.StartsWith("database db could not be removed yet", StringComparison.Ordinal));
        Assert.True(await DatabaseExistsAsync(uid));

        await PointClassAtAsync(className, AdminPort);
        await world.TearDownAsync(environment.Id);

        Assert.True((await world.EnvironmentAsync(environment.Id)).IsDeleted);
        Assert.False(await DatabaseExistsAsync(uid));
    }

    [Fact]
    public async Task A_database_dropped_behind_paddocks_back_is_drift_recreated_empty_with_an_event_and_an_audit_entry()
    {
        var className = await CreateClassAsync(AdminPort);
        var environment = await world.CreateEnvironmentAsync();
        var deploymentId = await QueueWithDatabaseAsync(environment.Id, className);
        await world.DeployAsync(deploymentId);
        var resource = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.EnvironmentId == environment.Id));
        await ScalarAsync($"DROP DATABASE {resource.Uid} WITH (FORCE)", "");
        Assert.False(await DatabaseExistsAsync(resource.Uid));

        var missing = await RunDriftAsync(environment.Id, deploymentId);

        Assert.Equal(1, missing);
        Assert.True(await DatabaseExistsAsync(resource.Uid));
        var again = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.Id == resource.Id));
        Assert.Equal(ResourceStatus.Ready, again.Status);
        Assert.Equal(resource.ProtectedState is null, again.ProtectedState is null);
        var recreated = Assert.Single(await world.EventsAsync(environment.Id), e => e.Phase == ResourceDrift.RecreatedPhase);
        Assert.Contains("recreated empty", recreated.Message);
        Assert.Contains("resource.recreated", await world.AuditActionsAsync(resource.Id.ToString()));

        // Present again: the next look finds nothing.
        Assert.Equal(0, await RunDriftAsync(environment.Id, deploymentId));
    }

    [Fact]
    public async Task The_reconciler_looks_at_resources_on_its_periodic_resource_check_and_not_on_engine_events()
    {
        var className = await CreateClassAsync(AdminPort);
        var environment = await world.CreateEnvironmentAsync();
        await world.DeployAsync(await QueueWithDatabaseAsync(environment.Id, className));
        var resource = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.EnvironmentId == environment.Id));
        await ScalarAsync($"DROP DATABASE {resource.Uid} WITH (FORCE)", "");
        using var reconcilerHost = WorkerWorld.BuildHost(world.Settings(), reconciler: true);

        var pass = await reconcilerHost.Services.GetRequiredService<FullResync>().RunAsync(CancellationToken.None);
        Assert.Contains(environment.Id, pass.WithResources);

        await ReconcileAsync(reconcilerHost, environment.Id, "engine event die");
        Assert.False(await DatabaseExistsAsync(resource.Uid));

        await ReconcileAsync(reconcilerHost, environment.Id, ReconcileTriggers.ResourceCheck);
        Assert.True(await DatabaseExistsAsync(resource.Uid));
        Assert.Single(await world.EventsAsync(environment.Id), e => e.Phase == ResourceDrift.RecreatedPhase);
    }

    private static async Task ReconcileAsync(Microsoft.Extensions.Hosting.IHost host, Guid environmentId, string trigger)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<EnvironmentReconciler>().ReconcileAsync(environmentId, trigger, CancellationToken.None);
    }

    [Theory]
    [InlineData(ResourcePolicy.Delete)]
    [InlineData(ResourcePolicy.Snapshot)]
    [InlineData(ResourcePolicy.Retain)]
    public async Task A_plan_that_removes_the_database_deprovisions_it_after_going_live_under_the_environments_policy(ResourcePolicy policy)
    {
        var className = await CreateClassAsync(AdminPort);
        var environment = await world.CreateEnvironmentAsync();
        await world.DeployAsync(await QueueWithDatabaseAsync(environment.Id, className));
        var resource = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.EnvironmentId == environment.Id));
        await world.WithDb(db => db.Database.ExecuteSqlAsync($"UPDATE environments SET resource_policy = {policy.ToString()} WHERE id = {environment.Id}"));

        // The next deployment applies a plan whose workload has no resources any more.
        var removing = await world.QueueDeploymentAsync(environment.Id);
        await world.WithDb(db => db.Database.ExecuteSqlAsync($"UPDATE deployments SET plan_id = {Guid.NewGuid()} WHERE id = {removing}"));
        await world.DeployAsync(removing);

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(removing)).Status);
        var after = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.Id == resource.Id));
        Assert.Equal(policy == ResourcePolicy.Retain ? ResourceStatus.Retained : ResourceStatus.Deleted, after.Status);
        Assert.Equal(policy == ResourcePolicy.Retain, await DatabaseExistsAsync(resource.Uid));
        if (policy == ResourcePolicy.Snapshot)
        {
            Assert.NotNull(after.SnapshotPath);
            Assert.True(File.Exists(after.SnapshotPath), after.SnapshotPath);
            File.Delete(after.SnapshotPath!);
        }
        else Assert.Null(after.SnapshotPath);
    }

    [Fact]
    public async Task A_deployment_without_the_database_that_applies_no_plan_such_as_a_rollback_keeps_it()
    {
        var className = await CreateClassAsync(AdminPort);
        var environment = await world.CreateEnvironmentAsync();
        await world.DeployAsync(await QueueWithDatabaseAsync(environment.Id, className));
        var resource = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.EnvironmentId == environment.Id));

        var rollback = await world.QueueDeploymentAsync(environment.Id);
        await world.DeployAsync(rollback);

        Assert.Equal(DeploymentStatus.Succeeded, (await world.DeploymentAsync(rollback)).Status);
        Assert.Equal(ResourceStatus.Ready, (await world.WithDb(db => db.EnvironmentResources.AsNoTracking().SingleAsync(r => r.Id == resource.Id))).Status);
        Assert.True(await DatabaseExistsAsync(resource.Uid));
    }

    private async Task<int> RunDriftAsync(Guid environmentId, Guid deploymentId)
    {
        await using var scope = world.Host.Services.CreateAsyncScope();
        var drift = ActivatorUtilities.CreateInstance<ResourceDrift>(scope.ServiceProvider);
        var db = scope.ServiceProvider.GetRequiredService<Paddock.Persistence.PaddockDbContext>();
        var environment = await db.Environments.SingleAsync(e => e.Id == environmentId);
        return await drift.ReconcileAsync(environment, deploymentId, "test", CancellationToken.None);
    }

    private static NpgsqlConnectionStringBuilder Admin => new(PostgresServer.SuperuserConnectionString);
    private static int AdminPort => Admin.Port;

    /// <summary>A postgres class of its own for each test (class names are global).</summary>
    private async Task<string> CreateClassAsync(int port)
    {
        var name = "c" + Guid.NewGuid().ToString("N")[..10];
        await world.WithDb(async db =>
        {
            var resourceClass = new ResourceClass("postgres", name, "test", DateTime.UtcNow);
            resourceClass.Configure(ClassValues(port), Admin.Password is { } password
                ? new Dictionary<string, string> { ["password"] = world.Host.Services.GetRequiredService<SecretProtector>().Protect(password) }
                : new Dictionary<string, string>(), "test", DateTime.UtcNow);
            db.ResourceClasses.Add(resourceClass);
            await db.SaveChangesAsync();
        });
        return name;
    }

    private Task PointClassAtAsync(string name, int port) => world.WithDb(async db =>
    {
        var resourceClass = await db.ResourceClasses.SingleAsync(c => c.Type == "postgres" && c.Name == name);
        resourceClass.Configure(ClassValues(port), resourceClass.ProtectedSecrets, "test", DateTime.UtcNow);
        await db.SaveChangesAsync();
    });

    private static Dictionary<string, string> ClassValues(int port) => new()
    {
        ["host"] = "127.0.0.1", ["port"] = port.ToString(CultureInfo.InvariantCulture), ["username"] = Admin.Username!, ["database"] = "postgres",
    };

    /// <summary>A deployment of the environment's app with a postgres resource <c>db</c> and variables that take its outputs,
    /// as the portal snapshots a workload that declares one.</summary>
    private async Task<Guid> QueueWithDatabaseAsync(Guid environmentId, string className)
    {
        var queued = await world.QueueDeploymentAsync(environmentId);
        // jsonb's || keeps the right side's keys: the resources replace the snapshot's empty ones.
        await world.WithDb(db => db.Database.ExecuteSqlAsync($"UPDATE deployments SET snapshot = snapshot || {System.Text.Json.JsonSerializer.Serialize(
            new { resources = new[] { new { name = "db", type = "postgres", @class = className, resourceId = $"postgres.{className}#web.db" } },
                  resourceVariables = new Dictionary<string, string>
                  {
                      ["DATABASE_URL"] = "${resources.db.url}",
                      ["DB_HOST"] = "${resources.db.host}",
                      ["DB_LABEL"] = "postgres on ${resources.db.host}:${resources.db.port}",
                  } })}::jsonb WHERE id = {queued}"));
        return queued;
    }

    private static async Task<bool> DatabaseExistsAsync(string name) =>
        await ScalarAsync("SELECT 1 FROM pg_database WHERE datname = @name", name) is not null;

    private static async Task<bool> RoleExistsAsync(string name) =>
        await ScalarAsync("SELECT 1 FROM pg_roles WHERE rolname = @name", name) is not null;

    private static async Task<object?> ScalarAsync(string sql, string name)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync();
    }
}
