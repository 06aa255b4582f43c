using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paddock.Domain.Deployments;
using Paddock.Domain.Resources;
using Paddock.Persistence.Secrets;
using Paddock.Testing;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Resources;

/// <summary>A workload with a redis cache whose class's server is down and a postgres database after it, through the
/// real deploy job: the deployment fails naming the cache and the server, and nothing is half-made: no container,
/// no database or role for the resource after it (Postgres itself says so). The postgres-only case:
/// <see cref="ResourceLifecycleTests"/>.</summary>
[Collection(WorkerCollection.Name)]
public sealed class ResourceServerDownTests(WorkerWorld world)
{
    [Fact]
    public async Task A_cache_whose_server_is_down_fails_the_deployment_with_the_reason_and_makes_nothing_after_it()
    {
        var downPort = LoopbackPort.Free();
        var redisClass = await CreateClassAsync("redis", new()
        {
            ["host"] = "127.0.0.1", ["port"] = downPort.ToString(CultureInfo.InvariantCulture), ["username"] = "paddock-admin",
        }, "admin-pw");
        var admin = new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString);
        var postgresClass = await CreateClassAsync("postgres", new()
        {
            ["host"] = "127.0.0.1", ["port"] = admin.Port.ToString(CultureInfo.InvariantCulture), ["username"] = admin.Username!, ["database"] = "postgres",
        }, admin.Password);
        var environment = await world.CreateEnvironmentAsync();
        var queued = await world.QueueDeploymentAsync(environment.Id);
        await world.WithDb(db => db.Database.ExecuteSqlAsync($"UPDATE deployments SET snapshot = snapshot || {System.Text.Json.JsonSerializer.Serialize(
            new { resources = new[]
            {
                new { name = "cache", type = "redis", @class = redisClass, resourceId = $"redis.{redisClass}#web.cache" },
                new { name = "db", type = "postgres", @class = postgresClass, resourceId = $"postgres.{postgresClass}#web.db" },
            } })}::jsonb WHERE id = {queued}"));

        await world.DeployAsync(queued);

        var deployment = await world.DeploymentAsync(queued);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        Assert.StartsWith("cache cache could not be provisioned: ", deployment.FailureReason);
        Assert.Contains($"the redis server 127.0.0.1:{downPort} cannot be reached", deployment.FailureReason);
        Assert.Empty(await world.ContainersAsync(environment.Id));
        var rows = await world.WithDb(db => db.EnvironmentResources.AsNoTracking().Where(r => r.EnvironmentId == environment.Id).ToListAsync());
        var cache = Assert.Single(rows);
        Assert.Equal(("cache", ResourceStatus.Failed), (cache.Name, cache.Status));
        Assert.Empty(cache.ProtectedSecrets);
        var dbUid = ResourceUid.For(environment.Id, $"postgres.{postgresClass}#web.db");
        Assert.Null(await ScalarAsync("SELECT datname FROM pg_database WHERE datname = @name", dbUid));
        Assert.Null(await ScalarAsync("SELECT rolname FROM pg_roles WHERE rolname = @name", dbUid));
        Assert.Contains(await world.EventsAsync(environment.Id), e => e.Message.StartsWith("cache cache could not be provisioned", StringComparison.Ordinal));
    }

    private async Task<string> CreateClassAsync(string type, Dictionary<string, string> values, string? password)
    {
        var name = "c" + Guid.NewGuid().ToString("N")[..10];
        await world.WithDb(async db =>
        {
            var resourceClass = new ResourceClass(type, name, "test", DateTime.UtcNow);
            resourceClass.Configure(values, password is null
                ? new Dictionary<string, string>()
                : new Dictionary<string, string> { ["password"] = world.Host.Services.GetRequiredService<SecretProtector>().Protect(password) }, "test", DateTime.UtcNow);
            db.ResourceClasses.Add(resourceClass);
            await db.SaveChangesAsync();
        });
        return name;
    }

    private static async Task<string?> ScalarAsync(string sql, string name)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync() as string;
    }
}
