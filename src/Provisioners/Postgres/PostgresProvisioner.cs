using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Npgsql;
using Paddock.Domain.Resources;

namespace Paddock.Provisioners.Postgres;

/// <summary>
/// A database and its own login role on a server an admin registered (a postgres class). Both are named after the
/// resource's uid; the database is owned by the role and nobody else may connect to it (CONNECT is revoked from
/// PUBLIC), so tenants of one server cannot reach each other's databases. Every step checks what exists first, so
/// a provision killed half-way and run again finishes the job. The role's password is kept in the resource's state
/// and reused, so a redeploy does not change the credentials running containers hold.
/// </summary>
public sealed partial class PostgresProvisioner(TimeProvider clock) : IResourceProvisioner, IResourceBackups
{
    public const string TypeName = "postgres";

    public string Type => TypeName;

    public IReadOnlySet<string> OutputNames { get; } = new HashSet<string>(["host", "port", "name", "database", "username", "password", "url"], StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> ValidateClass(ResourceClassSettings settings) => PostgresClass.Validate(settings);

    public IReadOnlyDictionary<string, string> ValidateParams(JsonObject? parameters)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _) in parameters ?? []) errors["/" + name] = "A postgres resource takes no params.";
        return errors;
    }

    public async Task<ProvisionOutcome> ProvisionAsync(ProvisionRequest request, CancellationToken ct)
    {
        var server = PostgresClass.From(request.Class);
        var name = CheckedName(request.Uid);
        var password = PasswordFrom(request.State) ?? NewPassword();
        try
        {
            await using var admin = await OpenAsync(server, null, ct);
            await EnsureRoleAsync(admin, name, password, ct);
            await EnsureDatabaseAsync(admin, name, ct);
            // Only the owner (and superusers) may connect: other tenants' roles are refused at the door.
            await ExecuteAsync(admin, $"REVOKE CONNECT, TEMPORARY ON DATABASE {name} FROM PUBLIC", ct);
        }
        catch (Exception e) when (Unreachable(e) is { } reason)
        {
            return ProvisionOutcome.Failed($"The postgres server of class '{request.Class.Name}' ({server.Describe}) {reason}");
        }
        catch (PostgresException e)
        {
            return ProvisionOutcome.Failed($"The postgres server of class '{request.Class.Name}' ({server.Describe}) refused to create database {name}: {e.MessageText}");
        }

        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["host"] = server.HostForContainers,
            ["port"] = port,
            ["name"] = name,
            ["database"] = name,
            ["username"] = name,
        };
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["password"] = password,
            ["url"] = $"postgresql://{name}:{Uri.EscapeDataString(password)}@{HostForUrl(server.HostForContainers)}:{port}/{name}",
        };
        return ProvisionOutcome.Ready(values, secrets, JsonSerializer.Serialize(new State(password)));
    }

    public async Task<ResourceObservation> ObserveAsync(ProvisionRequest request, CancellationToken ct)
    {
        var server = PostgresClass.From(request.Class);
        var name = CheckedName(request.Uid);
        try
        {
            await using var admin = await OpenAsync(server, null, ct);
            var database = await ExistsAsync(admin, "SELECT 1 FROM pg_database WHERE datname = $1", name, ct);
            var role = await ExistsAsync(admin, "SELECT 1 FROM pg_roles WHERE rolname = $1", name, ct);
            return (database, role) switch
            {
                (true, true) => new ResourceObservation(ResourcePresence.Present),
                (false, false) => new ResourceObservation(ResourcePresence.Missing, $"Database and role {name} do not exist."),
                (false, _) => new ResourceObservation(ResourcePresence.Missing, $"Database {name} does not exist."),
                _ => new ResourceObservation(ResourcePresence.Missing, $"Role {name} does not exist."),
            };
        }
        catch (Exception e) when (Unreachable(e) is { } reason)
        {
            return new ResourceObservation(ResourcePresence.Unknown, $"The postgres server ({server.Describe}) {reason}");
        }
    }

    public async Task<DeprovisionOutcome> DeprovisionAsync(DeprovisionRequest request, CancellationToken ct)
    {
        var server = PostgresClass.From(request.Resource.Class);
        var name = CheckedName(request.Resource.Uid);
        string? snapshot = null;
        try
        {
            await using var admin = await OpenAsync(server, null, ct);
            var exists = await ExistsAsync(admin, "SELECT 1 FROM pg_database WHERE datname = $1", name, ct);
            if (exists && request.SnapshotDirectory is { } directory)
            {
                var (path, failure) = await PostgresDump.RunAsync(server, name, directory, clock.GetUtcNow(), ct);
                if (failure is not null) return DeprovisionOutcome.Failed($"{failure}; the database was kept.");
                snapshot = path;
            }
            // Sessions of the role (containers still draining, a psql someone left open) would block the drop.
            await ExecuteAsync(admin, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' OR usename = '{name}'", ct);
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)", ct);
            await ExecuteAsync(admin, $"DROP ROLE IF EXISTS {name}", ct);
        }
        catch (Exception e) when (Unreachable(e) is { } reason)
        {
            return DeprovisionOutcome.Failed($"The postgres server of class '{request.Resource.Class.Name}' ({server.Describe}) {reason}");
        }
        catch (PostgresException e)
        {
            return DeprovisionOutcome.Failed($"The postgres server of class '{request.Resource.Class.Name}' ({server.Describe}) refused to drop database {name}: {e.MessageText}");
        }
        return DeprovisionOutcome.Done(snapshot);
    }

    public async Task<(string? Path, string? Failure)> BackupAsync(ProvisionRequest resource, string directory, CancellationToken ct)
    {
        var server = PostgresClass.From(resource.Class);
        return await PostgresDump.RunAsync(server, CheckedName(resource.Uid), directory, clock.GetUtcNow(), ct);
    }

    public async Task<string?> RestoreAsync(ProvisionRequest resource, string backupPath, CancellationToken ct)
    {
        var server = PostgresClass.From(resource.Class);
        var name = CheckedName(resource.Uid);
        try
        {
            // pg_restore sets the resource's role to create what it restores; an admin that is not a superuser must be a member.
            await using var admin = await OpenAsync(server, null, ct);
            if (!await ExistsAsync(admin, "SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper", null, ct))
                await ExecuteAsync(admin, $"GRANT {name} TO current_user", ct);
        }
        catch (Exception e) when (Unreachable(e) is { } reason)
        {
            return $"The postgres server of class '{resource.Class.Name}' ({server.Describe}) {reason}";
        }
        catch (PostgresException e)
        {
            return $"The postgres server of class '{resource.Class.Name}' ({server.Describe}) refused: {e.MessageText}";
        }
        return await PostgresDump.RestoreAsync(server, name, name, backupPath, ct);
    }

    private static async Task EnsureRoleAsync(NpgsqlConnection admin, string name, string password, CancellationToken ct)
    {
        // DDL takes no parameters: the password is made of base-32 characters only, so it is safe as a literal.
        var options = $"LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}'";
        if (!await ExistsAsync(admin, "SELECT 1 FROM pg_roles WHERE rolname = $1", name, ct))
        {
            try
            {
                await ExecuteAsync(admin, $"CREATE ROLE {name} {options}", ct);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateObject)
            {
                // Another attempt made it a moment ago: set the password below like for any existing role.
            }
        }
        await ExecuteAsync(admin, $"ALTER ROLE {name} {options}", ct);
    }

    private static async Task EnsureDatabaseAsync(NpgsqlConnection admin, string name, CancellationToken ct)
    {
        if (await ExistsAsync(admin, "SELECT 1 FROM pg_database WHERE datname = $1", name, ct)) return;
        // An admin that is not a superuser may only give a database to a role it is a member of.
        if (!await ExistsAsync(admin, "SELECT 1 FROM pg_roles WHERE rolname = current_user AND rolsuper", null, ct))
            await ExecuteAsync(admin, $"GRANT {name} TO current_user", ct);
        try
        {
            await ExecuteAsync(admin, $"CREATE DATABASE {name} OWNER {name}", ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
        }
    }

    private static async Task<NpgsqlConnection> OpenAsync(PostgresClass server, string? database, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(server.AdminConnectionString(database));
        try
        {
            await connection.OpenAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, string sql, string? argument, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (argument is not null) command.Parameters.Add(new NpgsqlParameter { Value = argument });
        return await command.ExecuteScalarAsync(ct) is not null;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Why the server could not be used, for a failure a user can act on (null: not a reachability problem).
    /// The reason holds no credential: Npgsql's messages name the host and the problem only.</summary>
    private static string? Unreachable(Exception e) => e switch
    {
        PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } p =>
            $"refused the admin's credentials: {p.MessageText}",
        PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } p => $"has no maintenance database: {p.MessageText}",
        NpgsqlException { InnerException: SocketException socket } => $"cannot be reached: {socket.Message}",
        NpgsqlException { InnerException: TimeoutException } => "did not answer in time.",
        NpgsqlException n when n is not PostgresException => $"cannot be reached: {n.Message}",
        _ => null,
    };

    private static string HostForUrl(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;

    private static string CheckedName(string uid) =>
        Identifier().IsMatch(uid) ? uid : throw new ArgumentException($"'{uid}' is not a resource uid.", nameof(uid));

    /// <summary>32 base-32 characters: 160 bits, and nothing that needs quoting in SQL or escaping in a URL.</summary>
    private static string NewPassword()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        return string.Create(32, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        });
    }

    private static string? PasswordFrom(string? state)
    {
        if (state is null) return null;
        var password = JsonSerializer.Deserialize<State>(state)?.Password;
        return password is not null && Password().IsMatch(password) ? password : null;
    }

    private sealed record State(string Password);

    [GeneratedRegex("^r[a-z2-7]{19}$")]
    private static partial Regex Identifier();

    [GeneratedRegex("^[a-z2-7]{32}$")]
    private static partial Regex Password();
}
