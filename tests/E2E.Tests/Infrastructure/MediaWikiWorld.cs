using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paddock.Persistence;
using Paddock.Runtime.Backends;

namespace Paddock.E2E.Tests.Infrastructure;

/// <summary>Opt-in (<c>PADDOCK_TEST_MEDIAWIKI=1</c>, with a container engine): building the MediaWiki image from
/// Debian's packages takes minutes, so the default run skips it.</summary>
public sealed class MediaWikiFactAttribute : FactAttribute
{
    public const string Variable = "PADDOCK_TEST_MEDIAWIKI";

    public MediaWikiFactAttribute()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
            Skip = $"Opt-in: set {Variable}=1 (builds localhost/paddock-mediawiki:1.39 from Debian's packages first, minutes).";
        else if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EngineFactAttribute.Variable)))
            Skip = $"Needs a container engine: set {EngineFactAttribute.Variable} (./test.sh does).";
    }
}

/// <summary>Paddock as <c>./run.sh</c> runs it (edge, workers and portal processes from the published output), with
/// the catalog's MediaWiki entry on the image <c>scripts/build-mediawiki-image.sh</c> builds (imported into the test's
/// engine) and the test's Postgres as the default postgres class the way <c>./run.sh</c> registers its own cluster:
/// on 127.0.0.1, with <c>containerHost: host.containers.internal</c>, reached by the wiki through the workers'
/// relay on its network's gateway.</summary>
public sealed class MediaWikiWorld : PortalServer
{
    public const string Image = "localhost/paddock-mediawiki:1.39";
    private Dictionary<string, string> _settings = [];

    public int EdgePort { get; private set; }

    protected override async Task StartCompanionsAsync()
    {
        await ImportImageAsync();
        var server = new NpgsqlConnectionStringBuilder(Paddock.Testing.PostgresServer.SuperuserConnectionString);
        var edge = StartProcess("edge", "http://127.0.0.1:0");
        var edgeAddress = await edge.ListeningAsync(TimeSpan.FromSeconds(120));
        await edge.WaitHealthyAsync($"{edgeAddress.ToString().TrimEnd('/')}/_edge/healthz", TimeSpan.FromSeconds(60));
        EdgePort = edgeAddress.Port;
        _settings = new()
        {
            ["PADDOCK_EDGE_PORT"] = EdgePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Backends__docker__StopTimeout"] = "00:00:02",
            // MediaWiki's installer runs before the wiki answers its first probe.
            ["Edge__ProbeTimeoutSeconds"] = "600",
            ["Deploy__HeartbeatSeconds"] = "1",
            ["Paddock__Catalog__Images__mediawiki__wiki"] = Image,
            ["ResourceClasses__0__Type"] = "postgres",
            ["ResourceClasses__0__Name"] = "default",
            ["ResourceClasses__0__Values__host"] = server.Host!,
            ["ResourceClasses__0__Values__port"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ResourceClasses__0__Values__containerHost"] = "host.containers.internal",
            ["ResourceClasses__0__Values__username"] = server.Username!,
            ["ResourceClasses__0__Values__database"] = "postgres",
            ["ResourceClasses__0__Secrets__password"] = server.Password ?? "",
        };
        StartProcess("workers", null);
    }

    protected override IReadOnlyDictionary<string, string> Settings() => _settings.Count > 0 ? _settings : base.Settings();

    protected override async Task BeforeStoppingCompanionsAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var registry = scope.ServiceProvider.GetRequiredService<BackendRegistry>();
        foreach (var environment in await db.Environments.AsNoTracking().Select(e => new { e.Id, e.ResourceName, e.Backend }).ToListAsync())
        {
            try { await registry.Get(environment.Backend).TearDownAsync(environment.Id, environment.ResourceName, CancellationToken.None); }
            catch (Exception) { }
        }
    }

    /// <summary>Runs the project's script (it builds the root file system once and caches it) against the test's engine.</summary>
    private static async Task ImportImageAsync()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Platform.sln"))) root = root.Parent;
        var script = Path.Combine(root?.FullName ?? throw new InvalidOperationException("No Platform.sln above the tests."), "scripts", "build-mediawiki-image.sh");
        var start = new ProcessStartInfo(script) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.Environment["DOCKER_HOST"] = Environment.GetEnvironmentVariable(EngineFactAttribute.Variable);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(20));
        if (process.ExitCode != 0) throw new InvalidOperationException($"{script} failed ({process.ExitCode}): {await errors}{await output}");
    }
}
