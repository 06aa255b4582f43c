using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Paddock.Persistence;
using Paddock.Persistence.Secrets;
using Paddock.Testing;

namespace Paddock.Integration.Tests.Security;

/// <summary>The portal and the workers starting together on a fresh database, as <c>./run.sh</c> starts them: they
/// must end up with one shared key, so what one protects the other reads.</summary>
public sealed class KeyRingBootstrapTests
{
    [Fact]
    public async Task Processes_starting_together_on_an_empty_key_ring_share_one_key()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("paddock-keyring-").FullName;
        try
        {
            var hosts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => StartProcessAsync(database, dataDirectory)));
            try
            {
                var options = new DbContextOptionsBuilder<PaddockDbContext>();
                DbSetup.Configure(options, PostgresServer.ConnectionString(database, asApp: true));
                await using (var db = new PaddockDbContext(options.Options))
                    Assert.Equal(1, await db.DataProtectionKeys.CountAsync());

                var secret = hosts[0].Services.GetRequiredService<SecretProtector>().Protect("class admin password");
                foreach (var other in hosts.Skip(1))
                    Assert.Equal("class admin password", other.Services.GetRequiredService<SecretProtector>().Unprotect(secret));
            }
            finally
            {
                foreach (var host in hosts)
                {
                    await host.StopAsync();
                    host.Dispose();
                }
            }
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task The_bootstrap_starts_before_data_protection_primes_its_key_ring()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var dataDirectory = Directory.CreateTempSubdirectory("paddock-keyring-").FullName;
        try
        {
            using var host = Build(database, dataDirectory);
            var order = host.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();

            Assert.Contains("DataProtectionHostedService", order);
            Assert.True(order.IndexOf(nameof(Paddock.Persistence.Keys.KeyRingBootstrap)) < order.IndexOf("DataProtectionHostedService"), string.Join(", ", order));
        }
        finally
        {
            await PostgresServer.DropDatabaseAsync(database);
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<IHost> StartProcessAsync(string database, string dataDirectory)
    {
        var host = Build(database, dataDirectory);
        await host.StartAsync();
        return host;
    }

    private static IHost Build(string database, string dataDirectory)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Paddock"] = PostgresServer.ConnectionString(database, asApp: true),
            ["Paddock:DataDirectory"] = dataDirectory,
        });
        builder.Services.AddLogging();
        builder.AddPaddockPersistence();
        return builder.Build();
    }
}
