using StackExchange.Redis;

namespace Paddock.Provisioners.Redis;

/// <summary>One connection to a class's redis server as its admin user, for one provisioner call. Failures become
/// <see cref="RedisAdminException"/> with a sentence a user can act on and no credential in it (a server's error
/// text is redacted of the passwords this call knows).</summary>
internal sealed class RedisAdminSession : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly ConnectionMultiplexer _connection;
    private readonly RedisClass _class;
    private readonly string[] _secrets;

    private RedisAdminSession(ConnectionMultiplexer connection, RedisClass redisClass, string[] secrets)
    {
        _connection = connection;
        _class = redisClass;
        _secrets = secrets;
    }

    /// <param name="secrets">Passwords that must never appear in a failure (the class's is always added).</param>
    public static async Task<RedisAdminSession> OpenAsync(RedisClass redisClass, params string[] secrets)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { { redisClass.Host, redisClass.Port } },
            User = redisClass.Username,
            Password = redisClass.Password,
            ClientName = "paddock-provisioner",
            // The client itself refuses CONFIG and the like unless told this connection administers the server.
            AllowAdmin = true,
            // A server that is down is a failed call now, not a background retry loop.
            AbortOnConnectFail = true,
            ConnectRetry = 1,
            ConnectTimeout = (int)ConnectTimeout.TotalMilliseconds,
            SyncTimeout = (int)CommandTimeout.TotalMilliseconds,
            AsyncTimeout = (int)CommandTimeout.TotalMilliseconds,
        };
        var allSecrets = secrets.Append(redisClass.Password).ToArray();
        try
        {
            var connection = await ConnectionMultiplexer.ConnectAsync(options);
            return new RedisAdminSession(connection, redisClass, allSecrets);
        }
        catch (RedisConnectionException e) when (e.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            throw new RedisAdminException(
                $"the redis server {redisClass.Address} refused the class's admin user {redisClass.Username} (check its password and ACL rights)");
        }
        catch (RedisConnectionException e)
        {
            throw new RedisAdminException($"the redis server {redisClass.Address} cannot be reached ({Describe(e.FailureType)})");
        }
    }

    /// <summary>Runs one command on database 0 (or <paramref name="database"/>) and answers its reply.</summary>
    public async Task<RedisResult> ExecuteAsync(string command, object[] arguments, int database = 0)
    {
        try
        {
            return await _connection.GetDatabase(database).ExecuteAsync(command, arguments);
        }
        catch (RedisServerException e)
        {
            throw new RedisAdminException($"the redis server {_class.Address} refused {command}: {Redact(e.Message)}");
        }
        catch (RedisTimeoutException)
        {
            throw new RedisAdminException($"the redis server {_class.Address} did not answer {command} within {CommandTimeout.TotalSeconds:0} s");
        }
        catch (RedisConnectionException e)
        {
            throw new RedisAdminException($"the connection to the redis server {_class.Address} failed during {command} ({Describe(e.FailureType)})");
        }
    }

    private string Redact(string text)
    {
        foreach (var secret in _secrets.Where(s => s.Length > 0)) text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text;
    }

    private static string Describe(ConnectionFailureType failure) => failure switch
    {
        ConnectionFailureType.UnableToConnect or ConnectionFailureType.UnableToResolvePhysicalConnection =>
            "connection refused or timed out",
        _ => failure.ToString(),
    };

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}

/// <summary>An expected failure talking to a redis server, worded for the resource's reason.</summary>
internal sealed class RedisAdminException(string message) : Exception(message);
