using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paddock.Domain.Resources;
using StackExchange.Redis;

namespace Paddock.Provisioners.Redis;

/// <summary>The <c>redis</c> resource type: an ACL user on a class's redis server, named after the resource's uid,
/// with a random password, that can reach only keys and pub/sub channels under its own prefix (<c>uid:</c>) and
/// no admin or dangerous command (CONFIG, FLUSHALL, KEYS, ACL, ...) nor SCAN, which would list other users' keys. Outputs <c>host</c>, <c>port</c>,
/// <c>username</c>, <c>prefix</c> (values), <c>password</c> and <c>url</c> (secrets). On a server with an ACL file
/// the users are saved to it (<c>ACL SAVE</c>) so they survive a restart. Redis resources are caches: a deprovision
/// with a snapshot directory keeps no copy.</summary>
public sealed class RedisProvisioner : IResourceProvisioner
{
    private const int ScanPageSize = 500;

    public string Type => "redis";

    public IReadOnlySet<string> OutputNames { get; } = new HashSet<string>(["host", "port", "username", "prefix", "password", "url"], StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> ValidateClass(ResourceClassSettings settings) => RedisClass.Validate(settings);

    public IReadOnlyDictionary<string, string> ValidateParams(JsonObject? parameters)
    {
        var errors = new Dictionary<string, string>();
        foreach (var (name, _) in parameters ?? [])
            errors[$"/{name}"] = "A redis resource takes no params.";
        return errors;
    }

    public async Task<ProvisionOutcome> ProvisionAsync(ProvisionRequest request, CancellationToken ct)
    {
        if (RedisClass.From(request.Class) is not { } redisClass) return ProvisionOutcome.Failed(InvalidClass(request));
        // The password is kept in the resource's state, so provisioning again (every deploy) keeps the one the running
        // containers hold; a first attempt that died before its state was stored gets a new one.
        var password = RedisState.Read(request.State)?.Password ?? NewPassword();
        var user = request.Uid;
        try
        {
            await using var session = await RedisAdminSession.OpenAsync(redisClass, password);
            ct.ThrowIfCancellationRequested();
            // "reset" first: the user ends up with exactly these rights whatever an earlier attempt or a hand left.
            // SCAN and RANDOMKEY are not filtered by key patterns, so they would show other tenants' key names.
            await session.ExecuteAsync("ACL", ["SETUSER", user, "reset", "on", $">{password}",
                $"~{Prefix(user)}*", $"&{Prefix(user)}*", "+@all", "-@admin", "-@dangerous", "-scan", "-randomkey"]);
            await SaveUsersAsync(session);
        }
        catch (RedisAdminException e)
        {
            return ProvisionOutcome.Failed($"redis user for {request.ResourceId} not provisioned: {e.Message}");
        }
        var port = redisClass.Port.ToString(CultureInfo.InvariantCulture);
        var values = new Dictionary<string, string>
        {
            ["host"] = redisClass.HostForContainers,
            ["port"] = port,
            ["username"] = user,
            ["prefix"] = Prefix(user),
        };
        var secrets = new Dictionary<string, string>
        {
            ["password"] = password,
            ["url"] = $"redis://{Uri.EscapeDataString(user)}:{Uri.EscapeDataString(password)}@{UrlHost(redisClass.HostForContainers)}:{port}/0",
        };
        return ProvisionOutcome.Ready(values, secrets, RedisState.Write(new RedisState(password)));
    }

    public async Task<ResourceObservation> ObserveAsync(ProvisionRequest request, CancellationToken ct)
    {
        if (RedisClass.From(request.Class) is not { } redisClass)
            return new ResourceObservation(ResourcePresence.Unknown, InvalidClass(request));
        try
        {
            await using var session = await RedisAdminSession.OpenAsync(redisClass);
            var user = await session.ExecuteAsync("ACL", ["GETUSER", request.Uid]);
            return user.IsNull
                ? new ResourceObservation(ResourcePresence.Missing, $"the redis user {request.Uid} does not exist on {redisClass.Address}")
                : new ResourceObservation(ResourcePresence.Present);
        }
        catch (RedisAdminException e)
        {
            return new ResourceObservation(ResourcePresence.Unknown, e.Message);
        }
    }

    public async Task<DeprovisionOutcome> DeprovisionAsync(DeprovisionRequest request, CancellationToken ct)
    {
        var resource = request.Resource;
        if (RedisClass.From(resource.Class) is not { } redisClass) return DeprovisionOutcome.Failed(InvalidClass(resource));
        try
        {
            await using var session = await RedisAdminSession.OpenAsync(redisClass);
            // The user goes first (its connections are closed with it), so nothing writes new keys while they are
            // removed; a retry after a crash finds no user and still removes the keys.
            await session.ExecuteAsync("ACL", ["DELUSER", resource.Uid]);
            await SaveUsersAsync(session);
            var databases = await DatabaseCountAsync(session);
            for (var database = 0; database < databases; database++)
                await UnlinkPrefixAsync(session, database, Prefix(resource.Uid), ct);
        }
        catch (RedisAdminException e)
        {
            return DeprovisionOutcome.Failed($"redis user for {resource.ResourceId} not removed: {e.Message}");
        }
        return DeprovisionOutcome.Done();
    }

    /// <summary>The key and channel prefix of a user: its name and a colon, the usual redis namespace separator.</summary>
    internal static string Prefix(string uid) => uid + ":";

    // The user may SELECT any logical database; its keys are looked for in each. SCAN walks the key space in pages
    // without blocking the server as KEYS would; UNLINK frees the values in the background.
    private static async Task UnlinkPrefixAsync(RedisAdminSession session, int database, string prefix, CancellationToken ct)
    {
        var cursor = "0";
        do
        {
            ct.ThrowIfCancellationRequested();
            var page = (RedisResult[])(await session.ExecuteAsync("SCAN",
                [cursor, "MATCH", prefix + "*", "COUNT", ScanPageSize], database))!;
            cursor = (string)page[0]!;
            var keys = (RedisResult[])page[1]!;
            if (keys.Length > 0) await session.ExecuteAsync("UNLINK", keys.Select(k => (object)(RedisKey)k).ToArray(), database);
        }
        while (cursor != "0");
    }

    private static async Task<int> DatabaseCountAsync(RedisAdminSession session)
    {
        var reply = (RedisResult[])(await session.ExecuteAsync("CONFIG", ["GET", "databases"]))!;
        return reply.Length == 2 && int.TryParse((string?)reply[1], CultureInfo.InvariantCulture, out var count) ? count : 16;
    }

    // A server started with an ACL file (scripts/lib/redis.sh) keeps its users across restarts only once saved; a
    // server without one keeps users in its config or not at all, which is the admin's choice.
    private static async Task SaveUsersAsync(RedisAdminSession session)
    {
        try
        {
            await session.ExecuteAsync("ACL", ["SAVE"]);
        }
        catch (RedisAdminException e) when (e.Message.Contains("not configured to use an ACL file", StringComparison.OrdinalIgnoreCase))
        {
        }
    }

    private static string InvalidClass(ProvisionRequest request) =>
        $"the redis class {request.Class.Name} has incomplete settings (host, port, username and the password secret are required)";

    private static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    private static string UrlHost(string host) => host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
}

/// <summary>What a redis resource keeps between calls (stored encrypted by the lifecycle).</summary>
internal sealed record RedisState(string Password)
{
    public static RedisState? Read(string? state)
    {
        if (string.IsNullOrEmpty(state)) return null;
        try
        {
            return JsonSerializer.Deserialize<RedisState>(state) is { Password.Length: > 0 } read ? read : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string Write(RedisState state) => JsonSerializer.Serialize(state);
}
