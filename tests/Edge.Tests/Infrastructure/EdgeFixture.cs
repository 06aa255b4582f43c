using System.Diagnostics;
using Npgsql;
using Paddock.Domain.Applications;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;
using Paddock.Domain.Teams;
using Paddock.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Paddock.Edge.Tests.Infrastructure;

/// <summary>A database of its own, an in-process edge connected as the app role, and three upstreams answering
/// "v1", "v2" and "v3". Rows are written the way a deploy job writes them: update, then <c>NOTIFY paddock_edge</c>.</summary>
public class EdgeFixture : IAsyncLifetime
{
    public string DatabaseName { get; private set; } = "";
    public string AppConnectionString { get; private set; } = "";
    public EdgeHandle Edge { get; private set; } = null!;
    public Upstream V1 { get; private set; } = null!;
    public Upstream V2 { get; private set; } = null!;
    public Upstream V3 { get; private set; } = null!;
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    private Guid _applicationId;
    private int _environments;

    protected virtual IReadOnlyDictionary<string, string?> EdgeSettings => new Dictionary<string, string?>
    {
        // Long enough that the tests see notices (and reconnects) at work, not the fallback.
        ["Edge:FullReloadSeconds"] = "300",
    };

    public async Task InitializeAsync()
    {
        DatabaseName = await PostgresServer.CreateDatabaseAsync();
        AppConnectionString = PostgresServer.ConnectionString(DatabaseName, asApp: true);
        _applicationId = await CreateApplicationAsync();
        V1 = await Upstream.StartAsync("v1");
        V2 = await Upstream.StartAsync("v2");
        V3 = await Upstream.StartAsync("v3");
        await BeforeEdgeStartsAsync();
        Edge = await EdgeHost.StartAsync(AppConnectionString, "http://127.0.0.1:0", EdgeSettings);
    }

    /// <summary>Rows written here are there when the edge starts.</summary>
    protected virtual Task BeforeEdgeStartsAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Edge.DisposeAsync();
        await V1.DisposeAsync();
        await V2.DisposeAsync();
        await V3.DisposeAsync();
        await PostgresServer.DropDatabaseAsync(DatabaseName);
    }

    public PaddockDbContext Db()
    {
        var options = new DbContextOptionsBuilder<PaddockDbContext>();
        DbSetup.Configure(options, AppConnectionString);
        return new PaddockDbContext(options.Options);
    }

    /// <summary>A new environment (the route's foreign key) and the host name its route will use.</summary>
    public async Task<(Guid EnvironmentId, string Host)> CreateEnvironmentAsync()
    {
        var ids = await CreateEnvironmentsAsync(1);
        return ids[0];
    }

    public async Task<IReadOnlyList<(Guid EnvironmentId, string Host)>> CreateEnvironmentsAsync(int count)
    {
        await using var db = Db();
        var app = await db.Applications.SingleAsync(a => a.Id == _applicationId);
        var created = new List<(Guid, string)>(count);
        for (var i = 0; i < count; i++)
        {
            var number = Interlocked.Increment(ref _environments);
            var environment = new AppEnvironment(app, EnvironmentName.Parse($"env{number}"), Stage.Development, "docker", "tests", DateTime.UtcNow);
            db.Environments.Add(environment);
            created.Add((environment.Id, $"{environment.ResourceName.Value}.localhost"));
        }
        await db.SaveChangesAsync();
        return created;
    }

    /// <summary>Points the environment's route at <paramref name="upstreams"/> (creating it if needed) and notifies
    /// the edge in the same transaction, as a deploy does. Returns the row's new version.</summary>
    public async Task<long> SwitchAsync(Guid environmentId, string host, params Upstream[] upstreams)
        => await SwitchAsync(environmentId, host, upstreams.Select(u => u.Address).ToArray());

    public async Task<long> SwitchAsync(Guid environmentId, string host, string[] upstreams, bool notify = true)
    {
        await using var connection = new NpgsqlConnection(AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO edge_routes (environment_id, host, deployment_id, upstreams, version, applied_version, updated_at)
            VALUES (@id, @host, @deployment, @upstreams, 1, 0, now())
            ON CONFLICT (environment_id) DO UPDATE
              SET upstreams = excluded.upstreams, deployment_id = excluded.deployment_id,
                  version = edge_routes.version + 1, updated_at = now()
            RETURNING version;
            """ + (notify ? "SELECT pg_notify('paddock_edge', @id::text);" : ""), connection);
        command.Parameters.AddWithValue("id", environmentId);
        command.Parameters.AddWithValue("host", host);
        command.Parameters.AddWithValue("deployment", Guid.NewGuid());
        command.Parameters.AddWithValue("upstreams", upstreams);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Many routes at once, without notices (for rows that exist before the edge starts).</summary>
    public async Task InsertRoutesAsync(IReadOnlyList<(Guid EnvironmentId, string Host)> environments, string upstream)
    {
        await using var connection = new NpgsqlConnection(AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            INSERT INTO edge_routes (environment_id, host, deployment_id, upstreams, version, applied_version, updated_at)
            SELECT e.id, e.host, gen_random_uuid(), ARRAY[@upstream], 1, 0, now() FROM unnest(@ids, @hosts) AS e(id, host)
            """, connection);
        command.Parameters.AddWithValue("ids", environments.Select(e => e.EnvironmentId).ToArray());
        command.Parameters.AddWithValue("hosts", environments.Select(e => e.Host).ToArray());
        command.Parameters.AddWithValue("upstream", upstream);
        await command.ExecuteNonQueryAsync();
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(PostgresServer.ConnectionString(DatabaseName, asApp: false));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>A notice alone, with no row written: what the edge does with it comes from the payload only.</summary>
    public async Task NotifyAsync(string payload)
    {
        await using var connection = new NpgsqlConnection(AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pg_notify('paddock_edge', @payload)", connection);
        command.Parameters.AddWithValue("payload", payload);
        await command.ExecuteNonQueryAsync();
    }

    public async Task DeleteRouteAsync(Guid environmentId)
    {
        await using var connection = new NpgsqlConnection(AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "DELETE FROM edge_routes WHERE environment_id = @id; SELECT pg_notify('paddock_edge', @id::text);", connection);
        command.Parameters.AddWithValue("id", environmentId);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until the edge acknowledges <paramref name="version"/> of the row; returns how long that took.</summary>
    public async Task<TimeSpan> WaitForAcknowledgementAsync(Guid environmentId, long version, TimeSpan? timeout = null)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = timeout ?? TimeSpan.FromSeconds(15);
        await using var connection = new NpgsqlConnection(AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT applied_version FROM edge_routes WHERE environment_id = @id", connection);
        command.Parameters.AddWithValue("id", environmentId);
        while (true)
        {
            var applied = (long?)await command.ExecuteScalarAsync();
            if (applied >= version) return Stopwatch.GetElapsedTime(started);
            if (Stopwatch.GetElapsedTime(started) > deadline)
                throw new TimeoutException($"The edge did not acknowledge version {version} of {environmentId} within {deadline} (applied: {applied}).");
            await Task.Delay(2);
        }
    }

    public async Task<HttpResponseMessage> GetAsync(string host, string path = "/")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Edge.Address, path));
        request.Headers.Host = host;
        return await Http.SendAsync(request);
    }

    public async Task<string> GetTextAsync(string host, string path = "/")
    {
        using var response = await GetAsync(host, path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{host}{path} answered {(int)response.StatusCode}: {body}");
        return body;
    }

    private async Task<Guid> CreateApplicationAsync()
    {
        await using var db = Db();
        var team = new Team(TeamName.Parse("edge"), null, DateTime.UtcNow);
        db.Teams.Add(team);
        var app = new Application(AppName.Parse("web"), team.Id, "localhost/paddock-demo:1", 8080, DateTime.UtcNow);
        db.Applications.Add(app);
        await db.SaveChangesAsync();
        return app.Id;
    }
}
