using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Paddock.Domain.Access;
using Paddock.Domain.Audit;
using Paddock.Integration.Tests.Infrastructure;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;

namespace Paddock.Integration.Tests.Audit;

/// <summary>Set-up and inspection for the audit tests: events written straight through <see cref="AuditLog"/>,
/// and SQL run as the superuser, with the append-only triggers switched off for tampering.</summary>
internal static class AuditTestData
{
    public static Caller CallerFor(string actorId, string actorName = "tester@example.com", string? correlationId = null) =>
        new(new Actor(ActorKind.User, actorId, actorName), "192.0.2.10", correlationId ?? Guid.NewGuid().ToString("N"));

    public static AuditEntry Entry(string action, Guid? teamId = null, Guid? appId = null, string actorId = "test-actor", object? after = null) =>
        CallerFor(actorId).Audit(action, "test", Guid.NewGuid().ToString(), teamId, appId, new { state = "before" }, after ?? new { state = "after", action });

    /// <summary>Appends one event and returns its sequence.</summary>
    public static async Task<long> WriteAsync(PortalFixture portal, AuditEntry entry)
    {
        using var scope = portal.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<AuditLog>().SaveChangesAsync(entry, CancellationToken.None);
        var db = scope.ServiceProvider.GetRequiredService<PaddockDbContext>();
        return await db.AuditEvents.Where(e => e.CorrelationId == entry.CorrelationId).Select(e => e.Sequence).SingleAsync();
    }

    public static async Task<List<long>> WriteManyAsync(PortalFixture portal, int count)
    {
        var sequences = new List<long>();
        for (var i = 0; i < count; i++) sequences.Add(await WriteAsync(portal, Entry($"test.event_{i}")));
        return sequences;
    }

    /// <summary>What an attacker with the database owner's password could do: change rows with the triggers off.</summary>
    public static async Task TamperAsync(PortalFixture portal, string sql)
    {
        await using var connection = new NpgsqlConnection(portal.OwnerConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("SET LOCAL session_replication_role = replica", connection, transaction))
            await off.ExecuteNonQueryAsync();
        await using (var command = new NpgsqlCommand(sql, connection, transaction))
            await command.ExecuteNonQueryAsync();
        await transaction.CommitAsync();
    }

    public static async Task<PostgresException> RefusedAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
    }

    public static async Task<JsonElement> VerifyAsync(PortalFixture portal)
    {
        var response = await portal.AdminClient().GetAsync("/api/v1/audit/verify");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<AuditCheckpoint?> WriteCheckpointAsync(PortalFixture portal)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Portal.Features.Audit.AuditCheckpointWriter>().WriteAsync(CancellationToken.None);
    }

    public static async Task<long> HeadAsync(PortalFixture portal)
    {
        using var scope = portal.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PaddockDbContext>().AuditEvents.MaxAsync(e => e.Sequence);
    }
}
