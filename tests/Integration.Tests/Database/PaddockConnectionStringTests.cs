using Microsoft.Extensions.Configuration;
using Npgsql;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;

namespace Paddock.Integration.Tests.Database;

/// <summary>Alone: other tests drop their databases with <c>NpgsqlConnection.ClearAllPools()</c>, which would empty
/// this test's pool too.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PoolCollection
{
    public const string Name = "connection pools";
}

[Collection(PoolCollection.Name)]
public class PaddockConnectionStringTests
{
    [Fact]
    public void A_pool_keeps_connections_through_quiet_spells_unless_the_string_says_otherwise()
    {
        Assert.Equal(PaddockConnectionString.KeptConnections, new NpgsqlConnectionStringBuilder(Of("Host=db;Username=u")).MinPoolSize);
        Assert.Equal(0, new NpgsqlConnectionStringBuilder(Of("Host=db;Username=u;Minimum Pool Size=0")).MinPoolSize);
        Assert.Equal(2, new NpgsqlConnectionStringBuilder(Of("Host=db;Username=u;minpoolsize=2")).MinPoolSize);
        // Never more than the pool may hold.
        Assert.Equal(3, new NpgsqlConnectionStringBuilder(Of("Host=db;Username=u;Maximum Pool Size=3")).MinPoolSize);
    }

    [Fact]
    public void A_missing_connection_string_is_named_in_the_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => PaddockConnectionString.Of(new ConfigurationBuilder().Build()));
        Assert.Contains("ConnectionStrings:Paddock", error.Message);
    }

    [Fact]
    public async Task Connections_of_the_pool_outlive_the_idle_lifetime()
    {
        var name = $"pool-{Guid.NewGuid():N}"[..20];
        var configured = new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString)
        {
            ApplicationName = name,
            ConnectionIdleLifetime = 2,
            ConnectionPruningInterval = 1,
        }.ConnectionString;
        var connectionString = Of(configured);

        var opened = new List<NpgsqlConnection>();
        for (var i = 0; i < 3; i++)
        {
            var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            opened.Add(connection);
        }
        foreach (var connection in opened) await connection.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(4)); // twice the idle lifetime: Npgsql's default would have closed them

        await using var observer = new NpgsqlConnection(PostgresServer.SuperuserConnectionString);
        await observer.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE application_name = @name", observer);
        count.Parameters.AddWithValue("name", name);
        Assert.Equal(3L, (long)(await count.ExecuteScalarAsync())!);
        NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
    }

    [Fact]
    public void Connections_carry_the_name_of_their_process_unless_the_string_names_itself()
    {
        Assert.Equal("Paddock.Workers", new NpgsqlConnectionStringBuilder(Of("Host=db;Username=u", process: "Paddock.Workers")).ApplicationName);
        Assert.Equal("ops-tool", new NpgsqlConnectionStringBuilder(Of("Host=db;Username=u;Application Name=ops-tool", process: "Paddock.Workers")).ApplicationName);
        // A generic host (the workers) does not put its name in the configuration: the program's own name then.
        Assert.Equal(System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name, new NpgsqlConnectionStringBuilder(Of("Host=db;Username=u")).ApplicationName);
    }

    private static string Of(string connectionString, string? process = null) =>
        PaddockConnectionString.Of(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Paddock"] = connectionString,
                [Microsoft.Extensions.Hosting.HostDefaults.ApplicationKey] = process,
            })
            .Build());
}
