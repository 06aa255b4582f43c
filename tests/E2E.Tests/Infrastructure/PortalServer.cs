using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;
using Paddock.Persistence;
using Paddock.Portal.Identity;
using Paddock.Runtime.Backends;

namespace Paddock.E2E.Tests.Infrastructure;

/// <summary>The portal as users get it: a process started by <c>scripts/start-app.sh</c> (as <c>./run.sh</c> starts
/// it) from the published output, in Production, on 127.0.0.1 at a free port, with its own database; and one
/// headless Chromium for all tests (each test opens its own context). Test set-up reaches the same database through
/// <see cref="Services"/>: persistence and Identity built in the test process on the portal's connection string and
/// data directory (so the same master key).</summary>
public class PortalServer : IAsyncLifetime
{
    private string _database = "";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("paddock-e2e-").FullName;
    private readonly List<PaddockProcess> _processes = [];
    private IHost? _services;

    public string BaseUrl { get; private set; } = "";
    public string AdminEmail => "admin@localhost";
    public string AdminPassword { get; private set; } = "";
    public string AdminToken { get; private set; } = "";
    public Browser Browser { get; } = new();
    /// <summary>The portal's database, as the application role sees it.</summary>
    public string ConnectionString => PostgresServer.ConnectionString(_database, asApp: true);
    /// <summary>Services of the test process on the portal's database (DbContext, UserManager, the event log).</summary>
    public IServiceProvider Services => _services?.Services ?? throw new InvalidOperationException("The portal has not started.");
    /// <summary>The engine the <c>docker</c> backend talks to: the test engine, else the default socket.</summary>
    protected static string DockerEndpoint => Environment.GetEnvironmentVariable(EngineFactAttribute.Variable) is { Length: > 0 } engine
        ? engine
        : "unix:///var/run/docker.sock";

    /// <summary>What the portal's environment adds to what <c>start-app.sh</c> derives (the <c>PADDOCK_*</c> inputs,
    /// or any <c>Section__Key</c> setting). The plain portal has no edge beside it: environment URLs name the default port.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings() => new Dictionary<string, string> { ["PADDOCK_EDGE_PORT"] = "5090" };

    /// <summary>What else runs beside the portal (workers, edge): started once the database exists, before the portal.</summary>
    protected virtual Task StartCompanionsAsync() => Task.CompletedTask;

    /// <summary>Runs once portal and workers stopped, before the other companions stop (e.g. to remove what the
    /// workers left in the engine).</summary>
    protected virtual Task BeforeStoppingCompanionsAsync() => Task.CompletedTask;

    /// <summary>The environment every process of this world gets, as <c>./run.sh</c> gives it.</summary>
    protected Dictionary<string, string> ProcessEnvironment() => new()
    {
        ["PADDOCK_APP_DB"] = ConnectionString,
        ["PADDOCK_STATE_DIR"] = _dataDirectory,
        ["PADDOCK_DOCKER_ENDPOINT"] = DockerEndpoint,
    };

    protected PaddockProcess StartProcess(string name, string? urls)
    {
        var environment = ProcessEnvironment();
        foreach (var (key, value) in Settings()) environment[key] = value;
        var process = PaddockProcess.Start(name, urls, environment);
        _processes.Add(process);
        return process;
    }

    public async Task InitializeAsync()
    {
        try
        {
            _database = await PostgresServer.CreateDatabaseAsync();
            await StartCompanionsAsync();
            var portal = StartProcess("portal", "http://127.0.0.1:0");
            BaseUrl = (await portal.ListeningAsync(TimeSpan.FromSeconds(120))).ToString().TrimEnd('/');
            await portal.WaitHealthyAsync($"{BaseUrl}/healthz", TimeSpan.FromSeconds(120));
            // The portal writes the admin's credentials after start-up, in the background.
            AdminPassword = await ReadWhenWrittenAsync(AdminBootstrap.PasswordFile);
            AdminToken = await ReadWhenWrittenAsync(AdminBootstrap.TokenFile);
            _services = BuildServices();
            await Browser.StartAsync();
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    private async Task<string> ReadWhenWrittenAsync(string file)
    {
        var path = Path.Combine(_dataDirectory, file);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (File.Exists(path) && (await File.ReadAllTextAsync(path)).Trim() is { Length: > 0 } content) return content;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The portal did not write {path} in 60 s.");
            await Task.Delay(100);
        }
    }

    private IHost BuildServices()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Paddock"] = ConnectionString,
            ["Paddock:DataDirectory"] = _dataDirectory,
            ["Backends:docker:Kind"] = "docker",
            ["Backends:docker:Endpoint"] = DockerEndpoint,
            // Clean-up removes what journeys left; the demo image's httpd ignores SIGTERM.
            ["Backends:docker:StopTimeout"] = "00:00:02",
        });
        builder.Services.AddLogging();
        builder.AddPaddockPersistence();
        builder.AddPaddockIdentity();
        builder.Services.AddPaddockBackends();
        return builder.Build();
    }

    public HttpClient ApiClient(string token) => new()
    {
        BaseAddress = new Uri(BaseUrl),
        DefaultRequestHeaders = { Authorization = new("Bearer", token) },
    };

    /// <summary>Test set-up through Identity directly: a user who can sign in, and a personal API token.</summary>
    public async Task<(Guid UserId, string Password, string Token)> CreateUserAsync(string email)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PaddockUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        const string password = "browser-test-password-1";
        var user = new PaddockUser { UserName = email, Email = email, DisplayName = email, CreatedAt = DateTime.UtcNow };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        var (token, secret) = ApiToken.ForUser(user.Id, "e2e", DateTime.UtcNow, null, "test-setup");
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        return (user.Id, password, secret);
    }

    public async Task AddMemberAsync(string teamName, Guid userId, TeamRole role)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var team = db.Teams.Where(t => t.Name == Domain.Names.TeamName.Parse(teamName)).AsEnumerable().Single();
        await db.Entry(team).Collection(t => t.Members).LoadAsync();
        team.SetMember(userId, role, DateTime.UtcNow);
        await db.SaveChangesAsync();
    }

    public async Task<T> WithDbAsync<T>(Func<PaddockDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PaddockDbContext>());
    }

    /// <summary>The portal first (it enqueues), then the workers (they act), then the clean-up hook, then the rest.</summary>
    private async Task StopAsync()
    {
        try
        {
            foreach (var process in _processes.Where(p => p.Name is "portal" or "workers").ToList())
            {
                await process.DisposeAsync();
                _processes.Remove(process);
            }
            if (_services is not null) await BeforeStoppingCompanionsAsync();
        }
        finally
        {
            foreach (var process in _processes) await process.DisposeAsync();
            _processes.Clear();
        }
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        try
        {
            await Browser.DisposeAsync();
            await StopAsync();
        }
        finally
        {
            _services?.Dispose();
            if (_database.Length > 0) await PostgresServer.DropDatabaseAsync(_database);
            try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalServer>
{
    public const string Name = "portal";
}
