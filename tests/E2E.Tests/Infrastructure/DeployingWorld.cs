extern alias edge;
extern alias workers;
using edge::Paddock.Edge;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paddock.Persistence;
using Paddock.Runtime.Backends;
using workers::Paddock.Workers;

namespace Paddock.E2E.Tests.Infrastructure;

/// <summary>Runs only with a container engine (<c>PADDOCK_TEST_DOCKER_HOST</c>, set by ./test.sh), which holds the
/// demo images <c>localhost/paddock-demo:1</c> and <c>:2</c>.</summary>
public sealed class EngineFactAttribute : FactAttribute
{
    public const string Variable = "PADDOCK_TEST_DOCKER_HOST";

    public EngineFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
            Skip = $"Needs a container engine with the demo images: set {Variable} (./test.sh does).";
    }
}

/// <summary>Everything a deployment passes through, in this process: the portal on Kestrel, a worker host with its
/// Hangfire server on the same database, the edge proxy, and the real engine from <c>PADDOCK_TEST_DOCKER_HOST</c>.
/// Environment URLs are <c>http://{name}.localhost:{edge port}/</c>, which Chromium resolves to 127.0.0.1.</summary>
public sealed class DeployingWorld : PortalServer
{
    private readonly string _workerDataDirectory = Directory.CreateTempSubdirectory("paddock-e2e-worker-").FullName;
    private EdgeHandle? _edge;
    private IHost? _workers;
    private Dictionary<string, string?> _shared = [];

    protected override async Task StartCompanionsAsync(string connectionString)
    {
        // Without an engine the tests skip; the world then stays a plain portal.
        var engine = Environment.GetEnvironmentVariable(EngineFactAttribute.Variable);
        if (string.IsNullOrEmpty(engine)) return;

        _edge = await EdgeHost.StartAsync(connectionString);
        var edgeAddress = _edge.Address.ToString().TrimEnd('/');
        // What portal and workers must agree on: where the engine is, and how environment URLs look.
        _shared = new()
        {
            ["Backends:docker:Kind"] = "docker",
            ["Backends:docker:Endpoint"] = engine,
            ["Backends:docker:StopTimeout"] = "00:00:02",
            ["Edge:Address"] = edgeAddress,
            ["Edge:PublicUrlTemplate"] = $"http://{{host}}:{_edge.Port}/",
            ["Edge:AckTimeoutSeconds"] = "5",
            ["Edge:ProbeTimeoutSeconds"] = "15",
            ["Edge:DrainSeconds"] = "0.5",
            ["Deploy:EngineRetrySeconds"] = "5",
            ["Deploy:HeartbeatSeconds"] = "1",
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(_shared);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Paddock"] = connectionString,
            ["Paddock:DataDirectory"] = _workerDataDirectory,
        });
        builder.Services.AddLogging();
        builder.AddPaddockPersistence();
        builder.AddEnvironmentJobs();
        builder.AddJobServer();
        _workers = builder.Build();
        await _workers.StartAsync();
    }

    protected override IReadOnlyDictionary<string, string?> Settings() => _shared;

    protected override async Task StopCompanionsAsync()
    {
        if (_workers is not null)
        {
            await RemoveLeftoverContainersAsync(_workers.Services);
            await _workers.StopAsync();
            _workers.Dispose();
        }
        if (_edge is not null) await _edge.DisposeAsync();
        try { Directory.Delete(_workerDataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>A journey that failed half-way leaves containers behind; the engine is shared, so they go here.</summary>
    private static async Task RemoveLeftoverContainersAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var registry = scope.ServiceProvider.GetRequiredService<BackendRegistry>();
        var environments = await db.Environments.AsNoTracking().Select(e => new { e.Id, e.ResourceName, e.Backend }).ToListAsync();
        foreach (var environment in environments)
        {
            try { await registry.Get(environment.Backend).TearDownAsync(environment.Id, environment.ResourceName, CancellationToken.None); }
            catch (Exception) { }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class DeployingCollection : ICollectionFixture<DeployingWorld>
{
    public const string Name = "deploying";
}
