using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;
using Paddock.Portal.Identity;

namespace Paddock.E2E.Tests.Infrastructure;

/// <summary>The real portal on real Kestrel (127.0.0.1, any free port) with its own database, so a real browser can
/// reach it; and one headless Chromium for all tests (each test opens its own context).</summary>
public class PortalServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string _database = "";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("paddock-e2e-").FullName;

    public string BaseUrl { get; private set; } = "";
    public string AdminEmail => "admin@localhost";
    public string AdminPassword { get; private set; } = "";
    public string AdminToken { get; private set; } = "";
    public Browser Browser { get; } = new();
    /// <summary>The portal's database, as the application role sees it.</summary>
    public string ConnectionString => PostgresServer.ConnectionString(_database, asApp: true);

    /// <summary>What else runs beside the portal (workers, edge): started once the database exists, before the portal.</summary>
    protected virtual Task StartCompanionsAsync(string connectionString) => Task.CompletedTask;

    protected virtual Task StopCompanionsAsync() => Task.CompletedTask;

    /// <summary>Extra portal configuration (e.g. the backends the companions use).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings() => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        await StartCompanionsAsync(ConnectionString);
        UseKestrel(0);
        StartServer();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        AdminPassword = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, AdminBootstrap.PasswordFile))).Trim();
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, AdminBootstrap.TokenFile))).Trim();
        await Browser.StartAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Outside Development the host does not read the build's static asset manifest (blazor.web.js, MudBlazor's files).
        builder.UseStaticWebAssets();
        builder.UseSetting("ConnectionStrings:Paddock", ConnectionString);
        builder.UseSetting("Paddock:DataDirectory", _dataDirectory);
        foreach (var (key, value) in Settings()) builder.UseSetting(key, value);
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

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Browser.DisposeAsync();
        await DisposeAsync();
        await StopCompanionsAsync();
        await PostgresServer.DropDatabaseAsync(_database);
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class PortalCollection : ICollectionFixture<PortalServer>
{
    public const string Name = "portal";
}
