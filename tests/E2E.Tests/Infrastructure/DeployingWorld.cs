using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Persistence;
using Paddock.Runtime.Backends;

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

/// <summary>Everything a deployment passes through, as <c>./run.sh</c> runs it: the edge, the workers and the portal
/// as processes from the published output on one database, and the real engine from <c>PADDOCK_TEST_DOCKER_HOST</c>.
/// Environment URLs are <c>http://{name}.localhost:{edge port}/</c>, which Chromium resolves to 127.0.0.1.</summary>
public sealed class DeployingWorld : PortalServer
{
    private Dictionary<string, string> _settings = [];

    protected override async Task StartCompanionsAsync()
    {
        // Without an engine the tests skip; the world then stays a plain portal.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EngineFactAttribute.Variable))) return;

        var edge = StartProcess("edge", "http://127.0.0.1:0");
        var edgeAddress = await edge.ListeningAsync(TimeSpan.FromSeconds(120));
        await edge.WaitHealthyAsync($"{edgeAddress.ToString().TrimEnd('/')}/_edge/healthz", TimeSpan.FromSeconds(60));
        // Shorter waits than production's, so a failing journey fails fast; as settings an operator could give.
        _settings = new()
        {
            ["PADDOCK_EDGE_PORT"] = edgeAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Backends__docker__StopTimeout"] = "00:00:02",
            ["Edge__AckTimeoutSeconds"] = "5",
            ["Edge__ProbeTimeoutSeconds"] = "15",
            ["Edge__DrainSeconds"] = "0.5",
            ["Deploy__EngineRetrySeconds"] = "5",
            ["Deploy__HeartbeatSeconds"] = "1",
            // The catalog journey installs an entry on the demo image, which the built-in entries do not use.
            ["Paddock__Catalog__Path"] = Path.Combine(AppContext.BaseDirectory, "TestCatalog"),
        };
        StartProcess("workers", null);
    }

    protected override IReadOnlyDictionary<string, string> Settings() => _settings.Count > 0 ? _settings : base.Settings();

    /// <summary>A journey that failed half-way leaves containers behind; the engine is shared, so they go here.</summary>
    protected override async Task BeforeStoppingCompanionsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
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
