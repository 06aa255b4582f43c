using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Paddock.Domain.Teams;
using Paddock.Domain.Tokens;
using Paddock.Persistence;
using Paddock.Portal.Identity;

namespace Paddock.Integration.Tests.Infrastructure;

/// <summary>The real portal (in-process test server) on its own database and data directory. Use as an
/// xunit class fixture: one portal per test class; tests create their own teams and users to stay independent.</summary>
public sealed class PortalFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public string DatabaseName { get; private set; } = "";
    public string DataDirectory { get; } = Directory.CreateTempSubdirectory("paddock-test-").FullName;
    public string AdminToken { get; private set; } = "";
    public string AdminPassword { get; private set; } = "";

    public string AppConnectionString => PostgresServer.ConnectionString(DatabaseName, asApp: true);
    public string OwnerConnectionString => PostgresServer.ConnectionString(DatabaseName, asApp: false);

    public async Task InitializeAsync()
    {
        DatabaseName = await PostgresServer.CreateDatabaseAsync();
        _ = Server; // starts the host, which bootstraps the admin
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, AdminBootstrap.TokenFile))).Trim();
        AdminPassword = (await File.ReadAllTextAsync(Path.Combine(DataDirectory, AdminBootstrap.PasswordFile))).Trim();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Paddock", AppConnectionString);
        builder.UseSetting("Paddock:DataDirectory", DataDirectory);
        builder.ConfigureLogging(logging => logging.AddProvider(new ServerErrors.Provider()));
    }

    public HttpClient ClientWithToken(string? token)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient AdminClient() => ClientWithToken(AdminToken);

    /// <summary>Test set-up straight through the services (not the API under test): a user with a personal token.</summary>
    public async Task<(Guid UserId, string Token)> CreateUserAsync(string email, bool platformAdmin = false)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PaddockUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var user = new PaddockUser { UserName = email, Email = email, DisplayName = email, IsPlatformAdmin = platformAdmin, CreatedAt = DateTime.UtcNow };
        var result = await users.CreateAsync(user, "test-password-123");
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        var (token, secret) = ApiToken.ForUser(user.Id, "test", DateTime.UtcNow, null, "test-setup");
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        return (user.Id, secret);
    }

    /// <summary>Test set-up: a team with the given members, written directly.</summary>
    public async Task<Team> CreateTeamAsync(string name, params (Guid UserId, TeamRole Role)[] members)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var team = new Team(Domain.Names.TeamName.Parse(name), null, DateTime.UtcNow);
        foreach (var (userId, role) in members) team.SetMember(userId, role, DateTime.UtcNow);
        db.Teams.Add(team);
        await db.SaveChangesAsync();
        return team;
    }

    /// <summary>Test set-up: a team token.</summary>
    public async Task<string> CreateTeamTokenAsync(Guid teamId, TokenScope scope)
    {
        using var services = Services.CreateScope();
        var db = services.ServiceProvider.GetRequiredService<PaddockDbContext>();
        var (token, secret) = ApiToken.ForTeam(teamId, $"ci-{scope}", scope, DateTime.UtcNow, null, "test-setup");
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        return secret;
    }

    public T WithDb<T>(Func<PaddockDbContext, T> query)
    {
        using var scope = Services.CreateScope();
        return query(scope.ServiceProvider.GetRequiredService<PaddockDbContext>());
    }

    public async Task<T> WithDbAsync<T>(Func<PaddockDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PaddockDbContext>());
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await PostgresServer.DropDatabaseAsync(DatabaseName);
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
