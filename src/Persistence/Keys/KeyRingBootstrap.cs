using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Paddock.Persistence.Keys;

/// <summary>Makes sure the shared key ring holds a usable key before this process protects or reads anything. The
/// portal and the workers start together on a fresh database: left alone, each would find no key, create its own and
/// cache a ring without the other's, so a secret one protects (a resource class's password seeded at start) the other
/// cannot read until it restarts. Under a Postgres advisory lock the first process creates the key; the others find it.
/// Registered before every other hosted service, so it runs first.</summary>
public sealed class KeyRingBootstrap(
    IKeyManager keys, IOptions<KeyManagementOptions> options, string connectionString, TimeProvider clock,
    ILogger<KeyRingBootstrap> logger) : IHostedService
{
    /// <summary>The advisory lock's key: any fixed number no other lock of Paddock's uses.</summary>
    public const long LockKey = 0x50_41_44_44_4B_45_59; // "PADDKEY"

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            lockCommand.Parameters.AddWithValue("key", LockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        try
        {
            var now = clock.GetUtcNow();
            if (!keys.GetAllKeys().Any(k => !k.IsRevoked && k.ActivationDate <= now && k.ExpirationDate > now.AddDays(2)))
            {
                var key = keys.CreateNewKey(now, now + options.Value.NewKeyLifetime);
                logger.LogInformation("Created data protection key {KeyId}, valid until {Expiration:u}", key.KeyId, key.ExpirationDate);
            }
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", connection);
            unlock.Parameters.AddWithValue("key", LockKey);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
