using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Paddock.Persistence;

/// <summary>The database connection every Paddock process uses (<c>ConnectionStrings:Paddock</c>), read in one place so
/// that all of a process's parts share one Npgsql pool (a pool belongs to an exact connection string). Hangfire's
/// queue has a pool of its own: its string adds a setting (<see cref="Jobs.JobStorageSetup.ConnectionStringFor"/>).</summary>
public static class PaddockConnectionString
{
    /// <summary>Connections a pool keeps however long they sit idle, unless the connection string says otherwise.
    /// Npgsql closes idle connections after five minutes by default, so the first deploy after a quiet spell opened
    /// new ones on its way (a server process and a SCRAM handshake each, 10–25 ms on our machines) in the portal, the
    /// workers and the edge. A deploy uses about this many at once in a worker.</summary>
    public const int KeptConnections = 8;

    public static string Of(IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("Paddock")
            ?? throw new InvalidOperationException("ConnectionStrings:Paddock is not set.");
        var builder = new NpgsqlConnectionStringBuilder(configured);
        if (!SaysMinimumPoolSize(configured)) builder.MinPoolSize = Math.Min(KeptConnections, builder.MaxPoolSize);
        // Which process holds a connection, in pg_stat_activity and the server's log (Paddock.Portal, Paddock.Workers,
        // Paddock.Edge), unless the string names itself. A web host puts its name in the configuration, a generic
        // host (the workers) does not.
        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = configuration[HostDefaults.ApplicationKey] ?? Assembly.GetEntryAssembly()?.GetName().Name;
        return builder.ConnectionString;
    }

    /// <summary>Whether the string sets the minimum pool size itself, under any of Npgsql's names for it.</summary>
    private static bool SaysMinimumPoolSize(string connectionString)
    {
        var keys = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>();
        return keys.Select(key => key.Replace(" ", "", StringComparison.Ordinal))
            .Any(key => key.Equals("MinimumPoolSize", StringComparison.OrdinalIgnoreCase) || key.Equals("MinPoolSize", StringComparison.OrdinalIgnoreCase));
    }
}
