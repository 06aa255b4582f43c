using System.Globalization;
using Npgsql;
using Paddock.Domain.Resources;
using Paddock.Provisioners.Postgres;
using Paddock.Testing;

namespace Paddock.Integration.Tests.Access;

/// <summary>The databases behind a world's "db" resources, made on the test server for the rules that back up,
/// restore or copy them (rule bodies are built synchronously, hence the blocking calls).</summary>
public static class AccessWorldData
{
    private static readonly PostgresProvisioner Provisioner = new(TimeProvider.System);

    public static Dictionary<string, string> ClassValues(NpgsqlConnectionStringBuilder admin) => new()
    {
        ["host"] = admin.Host!, ["port"] = admin.Port.ToString(CultureInfo.InvariantCulture), ["username"] = admin.Username!, ["database"] = "postgres",
    };

    /// <summary>Provisions both databases (idempotent).</summary>
    public static void EnsureDatabases(AccessWorld world)
    {
        foreach (var uid in new[] { world.DevDatabaseUid, world.CopyDatabaseUid })
        {
            var outcome = Provisioner.ProvisionAsync(Request(world, uid), CancellationToken.None).GetAwaiter().GetResult();
            if (!outcome.Succeeded) throw new InvalidOperationException(outcome.Failure);
        }
    }

    /// <summary>A backup of dev's database where the portal keeps them; answers its name.</summary>
    public static string Backup(AccessWorld world)
    {
        EnsureDatabases(world);
        var (path, failure) = Provisioner.BackupAsync(Request(world, world.DevDatabaseUid), world.DevBackupDirectory, CancellationToken.None).GetAwaiter().GetResult();
        return path is null ? throw new InvalidOperationException(failure) : Path.GetFileName(path);
    }

    private static ProvisionRequest Request(AccessWorld world, string uid)
    {
        var admin = new NpgsqlConnectionStringBuilder(PostgresServer.SuperuserConnectionString);
        return new ProvisionRequest
        {
            EnvironmentId = Guid.Empty,
            ResourceId = uid,
            Uid = uid,
            Class = new ResourceClassSettings("postgres", world.DataClass, ClassValues(admin),
                admin.Password is { } password ? new Dictionary<string, string> { ["password"] = password } : new Dictionary<string, string>()),
        };
    }
}
