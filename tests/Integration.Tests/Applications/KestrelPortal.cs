using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Portal.Identity;

namespace Paddock.Integration.Tests.Applications;

/// <summary>The portal on real Kestrel (loopback, any free port) instead of the in-memory test server, for
/// what only the real server does, such as refusing request bodies over its size limit.</summary>
public sealed class KestrelPortal : WebApplicationFactory<Program>, IAsyncLifetime
{
    private string _database = "";
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("paddock-kestrel-").FullName;

    public string AdminToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _database = await PostgresServer.CreateDatabaseAsync();
        UseKestrel(0);
        StartServer();
        AdminToken = (await File.ReadAllTextAsync(Path.Combine(_dataDirectory, AdminBootstrap.TokenFile))).Trim();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Paddock", PostgresServer.ConnectionString(_database, asApp: true));
        builder.UseSetting("Paddock:DataDirectory", _dataDirectory);
        builder.ConfigureLogging(logging => logging.AddProvider(new Infrastructure.ServerErrors.Provider()));
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await PostgresServer.DropDatabaseAsync(_database);
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
