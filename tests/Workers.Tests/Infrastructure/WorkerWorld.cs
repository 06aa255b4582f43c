using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paddock.Backends.Docker;
using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;
using EnvironmentName = Paddock.Domain.Names.EnvironmentName;
using Paddock.Domain.Secrets;
using Paddock.Domain.Teams;
using Paddock.Edge;
using Paddock.Persistence;
using Paddock.Jobs;
using Paddock.Persistence.Secrets;
using Paddock.Workers.Deployments;
using Paddock.Workers.Rollout;
using Paddock.Workers.Reconciliation;
using Paddock.Testing.FakeApiServer;

namespace Paddock.Workers.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class WorkerCollection : ICollectionFixture<WorkerWorld>
{
    public const string Name = "workers";
}

/// <summary>Everything a deploy job touches, for real: a cloned Postgres database, a Docker-compatible engine
/// (<c>PADDOCK_TEST_DOCKER_HOST</c>, else a private Podman service) holding the demo images, a stand-in edge,
/// and the workers' own DI registrations. A backend named <c>dead</c> points at an engine that does not exist.</summary>
public sealed class WorkerWorld : IAsyncLifetime
{

    private readonly Uri? _engine;
    private PodmanService? _podman;
    private readonly List<(Guid Id, ResourceName Name)> _environments = [];

    public string Database { get; private set; } = "";
    public string ConnectionString { get; private set; } = "";
    public Uri EngineEndpoint { get; private set; } = null!;
    public DockerClient Engine { get; private set; } = null!;
    /// <summary>The real edge proxy, in process (as <c>src/Edge</c> runs it), on a port fixed for the world's lifetime.</summary>
    public EdgeHandle Edge { get; private set; } = null!;
    public string EdgeAddress => Edge.Address.ToString().TrimEnd('/');
    public IHost Host { get; private set; } = null!;
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), $"paddock-workers-{Guid.NewGuid():N}");

    public WorkerWorld() { }

    /// <summary>A world on a given engine (one that may pull from a test registry, say).</summary>
    internal WorkerWorld(Uri engine) => _engine = engine;

    public async Task InitializeAsync()
    {
        Database = await PostgresServer.CreateDatabaseAsync();
        ConnectionString = PostgresServer.ConnectionString(Database, asApp: true);
        var given = System.Environment.GetEnvironmentVariable("PADDOCK_TEST_DOCKER_HOST");
        if (_engine is null && string.IsNullOrEmpty(given)) _podman = await PodmanService.StartAsync();
        EngineEndpoint = _engine ?? _podman?.Endpoint ?? new Uri(given!);
        Engine = new DockerClientBuilder().WithEndpoint(EngineEndpoint).Build();
        await PodmanService.WaitUntilAnswersAsync(Engine);
        await DemoImages.ImportIfMissingAsync(Engine, DemoImages.V1, "1");
        await DemoImages.ImportIfMissingAsync(Engine, DemoImages.V2, "2");
        Edge = await EdgeHost.StartAsync(ConnectionString);
        Host = BuildHost(Settings());
    }

    /// <summary>The configuration a worker process of this world runs with.</summary>
    public Dictionary<string, string?> Settings() => new()
    {
        ["ConnectionStrings:Paddock"] = ConnectionString,
        ["Paddock:DataDirectory"] = DataDirectory,
        ["Backends:docker:Kind"] = "docker",
        ["Backends:docker:Endpoint"] = EngineEndpoint.ToString(),
        ["Backends:docker:StopTimeout"] = "00:00:02",
        ["Backends:dead:Kind"] = "docker",
        ["Backends:dead:Endpoint"] = "unix:///tmp/paddock-no-engine-here.sock",
        ["Edge:Address"] = EdgeAddress,
        ["Edge:AckTimeoutSeconds"] = "3",
        ["Edge:ProbeTimeoutSeconds"] = "10",
        ["Deploy:EngineRetrySeconds"] = "3",
        ["Deploy:HeartbeatSeconds"] = "1",
    };

    /// <param name="reconciler">With the reconciler's services too (not started: tests drive it or start the host).</param>
    public static IHost BuildHost(Dictionary<string, string?> settings, bool reconciler = false)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.AddPaddockPersistence();
        builder.AddEnvironmentJobs();
        if (reconciler) builder.AddReconciler();
        return builder.Build();
    }

    /// <summary>Configures a <c>kubernetes</c> backend named <paramref name="name"/> on the fake API server, with the
    /// short retry and poll intervals the tests need.</summary>
    public static void AddFakeCluster(Dictionary<string, string?> settings, string name, FakeKubeApiServer fake, string? ingressHostPattern = null)
    {
        settings[$"Backends:{name}:Kind"] = "kubernetes";
        settings[$"Backends:{name}:Kubeconfig"] = fake.Kubeconfig();
        settings[$"Backends:{name}:RetryDelay"] = "00:00:00.050";
        settings[$"Backends:{name}:RolloutPollInterval"] = "00:00:00.200";
        settings[$"Backends:{name}:TeardownTimeout"] = "00:00:10";
        if (ingressHostPattern is not null) settings[$"Backends:{name}:IngressHostPattern"] = ingressHostPattern;
    }

    /// <summary>Runs a deploy job in its own DI scope, as Hangfire would, then waits until the instances it replaced
    /// are retired (that runs in the background of the worker process, after the job).</summary>
    public async Task DeployAsync(Guid deploymentId, CancellationToken ct = default)
    {
        await using (var scope = Host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<IEnvironmentJobs>().DeployAsync(deploymentId, ct);
        await Host.Services.GetRequiredService<Workers.Rollout.RetirementRunner>().WhenIdleAsync();
    }

    public async Task TearDownAsync(Guid environmentId)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<IEnvironmentJobs>().TearDownAsync(environmentId, CancellationToken.None);
    }

    public async Task<T> WithDb<T>(Func<PaddockDbContext, Task<T>> action)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<PaddockDbContext>());
    }

    public Task WithDb(Func<PaddockDbContext, Task> action) => WithDb(async db => { await action(db); return true; });

    /// <summary>A new team, application and environment (unique names), as the portal would have saved them.</summary>
    public async Task<AppEnvironment> CreateEnvironmentAsync(string image = DemoImages.V1, string backend = "docker",
        Action<Application>? configure = null, IReadOnlyDictionary<string, string>? secrets = null,
        Domain.Backends.RegistryCredentials? registry = null)
    {
        var now = DateTime.UtcNow;
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var team = new Team(TeamName.Parse($"w{suffix}"), null, now);
        var app = new Application(AppName.Parse($"a{suffix}"), team.Id, image, 8080, now)
        {
            HealthCheck = new HealthCheck(HealthCheckKind.Http, "/", IntervalSeconds: 1, TimeoutSeconds: 15),
        };
        configure?.Invoke(app);
        var environment = new AppEnvironment(app, EnvironmentName.Parse("dev"), Stage.Development, backend, "test", now);
        await WithDb(async db =>
        {
            db.Teams.Add(team);
            db.Applications.Add(app);
            db.Environments.Add(environment);
            var protector = Host.Services.GetRequiredService<SecretProtector>();
            foreach (var (name, value) in secrets ?? new Dictionary<string, string>())
                db.SecretVersions.Add(new SecretVersion(app.Id, null, name, 1, protector.Protect(value), now, "test"));
            if (registry is not null)
                db.RegistryCredentialVersions.Add(RegistryCredentialVersion.Set(app.Id, null, 1, registry.Server, registry.Username,
                    protector.Protect(registry.Password), now, "test"));
            await db.SaveChangesAsync();
        });
        lock (_environments) _environments.Add((environment.Id, environment.ResourceName));
        return environment;
    }

    /// <summary>The environment as the portal's DELETE leaves it: Deleting, its teardown still to run.</summary>
    public Task BeginDeletionAsync(Guid environmentId) => WithDb(async db =>
    {
        var env = await db.Environments.SingleAsync(e => e.Id == environmentId);
        env.BeginDeletion();
        await db.SaveChangesAsync();
    });

    /// <summary>A cancel request on the deployment's row, its status left as it is (what a running deployment's
    /// worker finds when it next checks).</summary>
    public Task MarkCancelRequestedAsync(Guid deploymentId) =>
        WithDb(db => db.Database.ExecuteSqlAsync($"UPDATE deployments SET cancel_requested_at = now() WHERE id = {deploymentId}"));

    /// <summary>Queues a deployment of the environment's current settings, as the portal would.</summary>
    /// <param name="shape">Changes the snapshot before it is queued (what only a workload file says: probes, files, ...).</param>
    public Task<Guid> QueueDeploymentAsync(Guid environmentId, string? image = null, DateTime? queuedAt = null, Guid? id = null,
        Func<DeploymentSnapshot, DeploymentSnapshot>? shape = null) => WithDb(async db =>
    {
        var environment = await db.Environments.SingleAsync(e => e.Id == environmentId);
        var app = await db.Applications.SingleAsync(a => a.Id == environment.ApplicationId);
        var secrets = await db.SecretVersions.Where(s => s.ApplicationId == app.Id && s.Ciphertext != null)
            .Select(s => new PinnedSecret(s.Name, s.Id, s.Version, s.EnvironmentId != null)).ToListAsync();
        var registry = await db.CurrentRegistryCredentialsAsync(app.Id, environment.Id, CancellationToken.None);
        var snapshot = DeploymentSnapshot.Of(app, environment, secrets, image, registry);
        var deployment = new Deployment(environment.Id, app.Id, environment.NextRevision(), shape?.Invoke(snapshot) ?? snapshot,
            "test-user", "test user", null, null, null, null, queuedAt ?? DateTime.UtcNow, id);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        return deployment.Id;
    });

    /// <summary>Queues a redeploy of <paramref name="earlier"/> as the portal does: its snapshot, pinned to the content it ran.</summary>
    public Task<Guid> QueueRedeployAsync(Deployment earlier) => WithDb(async db =>
    {
        var environment = await db.Environments.SingleAsync(e => e.Id == earlier.EnvironmentId);
        var deployment = new Deployment(environment.Id, earlier.ApplicationId, environment.NextRevision(),
            earlier.Snapshot with { ImageDigest = earlier.ImageDigest }, "test-user", "test user", null, "rollback", earlier.Id, null, DateTime.UtcNow);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        return deployment.Id;
    });

    /// <summary>Polls until <paramref name="condition"/> holds (a job running elsewhere reached a state).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(50);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false when it did not within the time.</summary>
    public static async Task<bool> HoldsWithinAsync(Func<Task<bool>> condition, int seconds)
    {
        try
        {
            await WaitUntilAsync(condition, "the condition", seconds);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public Task<Deployment> DeploymentAsync(Guid id) => WithDb(db => db.Deployments.AsNoTracking().SingleAsync(d => d.Id == id));

    public Task<AppEnvironment> EnvironmentAsync(Guid id) => WithDb(db => db.Environments.AsNoTracking().SingleAsync(e => e.Id == id));

    public Task<List<EnvironmentEvent>> EventsAsync(Guid environmentId) =>
        WithDb(db => db.EnvironmentEvents.AsNoTracking().Where(e => e.EnvironmentId == environmentId).OrderBy(e => e.Sequence).ToListAsync());

    public Task<List<string>> AuditActionsAsync(string targetId) =>
        WithDb(db => db.AuditEvents.AsNoTracking().Where(a => a.TargetId == targetId).OrderBy(a => a.Sequence).Select(a => a.Action).ToListAsync());

    /// <summary>The environment's containers in the engine (running or not).</summary>
    public async Task<IList<ContainerListResponse>> ContainersAsync(Guid environmentId) =>
        await Engine.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = DockerLabels.Filter(DockerLabels.Is(DockerLabels.EnvironmentId, environmentId)),
        });

    public async Task<bool> NetworkExistsAsync(string name)
    {
        var networks = await Engine.Networks.ListNetworksAsync(new NetworksListParameters());
        return networks.Any(n => n.Name == name);
    }

    /// <summary>Stops the edge for the duration of <paramref name="action"/> (nothing acknowledges routes then), and
    /// starts it again on the same address.</summary>
    public async Task WithoutEdgeAsync(Func<Task> action)
    {
        var address = EdgeAddress;
        await Edge.DisposeAsync();
        try
        {
            await action();
        }
        finally
        {
            Edge = await EdgeHost.StartAsync(ConnectionString, address);
        }
    }

    /// <summary>What the environment's URL answers through the edge.</summary>
    public async Task<string> GetThroughEdgeAsync(string host)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        using var request = new HttpRequestMessage(HttpMethod.Get, Edge.Address);
        request.Headers.Host = host;
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await using (var scope = Host.Services.CreateAsyncScope())
            {
                var registry = scope.ServiceProvider.GetRequiredService<Runtime.Backends.BackendRegistry>();
                foreach (var (id, name) in _environments)
                {
                    try { await registry.Get("docker").TearDownAsync(id, name, CancellationToken.None); }
                    catch (Exception) { }
                }
            }
            Host.Dispose();
        }
        if (Edge is not null) await Edge.DisposeAsync();
        Engine?.Dispose();
        if (_podman is not null) await _podman.DisposeAsync();
        if (Database.Length > 0) await PostgresServer.DropDatabaseAsync(Database);
        try { Directory.Delete(DataDirectory, recursive: true); }
        catch (IOException) { }
    }
}
