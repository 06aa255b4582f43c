using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;
using Paddock.Portal.Identity;

namespace Paddock.Integration.Tests.Deployments;

/// <summary>The portal on real Kestrel at 127.0.0.1 (any free port): the in-memory test server buffers streamed
/// responses and has no client address, so Server-Sent Events and "refused even from loopback" need the real server.
/// Two backends: <c>docker</c> on the test engine (<c>PADDOCK_TEST_DOCKER_HOST</c>, when set) and <c>nowhere</c>,
/// an engine address nothing listens on.</summary>
public sealed class LivePortal : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string UnreachableBackend = "nowhere";
    public const string UnreachableEndpoint = "tcp://127.0.0.1:9";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("paddock-live-").FullName;

    public string Database { get; private set; } = "";
    public string AdminToken { get; private set; } = "";
    public string AdminPassword { get; private set; } = "";
    public static string? EngineEndpoint => Environment.GetEnvironmentVariable("PADDOCK_TEST_DOCKER_HOST") is { Length: > 0 } host ? host : null;

    public async Task InitializeAsync()
    {
        Database = await PostgresServer.CreateDatabaseAsync();
        UseKestrel(0);
        StartServer();
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, AdminBootstrap.TokenFile))).Trim();
        AdminPassword = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, AdminBootstrap.PasswordFile))).Trim();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Paddock", PostgresServer.ConnectionString(Database, asApp: true));
        builder.UseSetting("Paddock:DataDirectory", _dataDirectory);
        builder.ConfigureLogging(logging => logging.AddProvider(new Infrastructure.ServerErrors.Provider()));
        // Without an engine, "docker" points at a socket that does not exist: unreachable, like a machine without one.
        builder.UseSetting("Backends:docker:Endpoint", EngineEndpoint ?? $"unix://{_dataDirectory}/no-engine.sock");
        builder.UseSetting($"Backends:{UnreachableBackend}:Kind", "docker");
        builder.UseSetting($"Backends:{UnreachableBackend}:Endpoint", UnreachableEndpoint);
        builder.UseSetting($"Backends:{UnreachableBackend}:DescribeTimeout", "00:00:02");
    }

    public HttpClient Client(string? token = null, bool cookies = false)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = Address, AllowAutoRedirect = false, HandleCookies = cookies });
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Where Kestrel listens (127.0.0.1 and the port it was given).</summary>
    public Uri Address => new(Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());

    public async Task<string> CreateUserAsync(string email, string password)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PaddockUser>>();
        var user = new PaddockUser { UserName = email, Email = email, DisplayName = email, CreatedAt = DateTime.UtcNow };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        return email;
    }

    public async Task<T> WithDbAsync<T>(Func<PaddockDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PaddockDbContext>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await PostgresServer.DropDatabaseAsync(Database);
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
