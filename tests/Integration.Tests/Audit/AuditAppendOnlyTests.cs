using Npgsql;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Audit;

public sealed class AuditAppendOnlyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Theory]
    [InlineData("UPDATE audit_events SET action = 'forged' WHERE sequence = 1")]
    [InlineData("DELETE FROM audit_events WHERE sequence = 1")]
    [InlineData("TRUNCATE audit_events")]
    public async Task The_application_role_has_no_privilege_to_change_or_remove_audit_events(string sql)
    {
        var refused = await AuditTestData.RefusedAsync(portal.AppConnectionString, sql);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains("permission denied", refused.MessageText);
    }

    [Fact]
    public async Task The_application_role_can_still_read_and_append()
    {
        await using var connection = new NpgsqlConnection(portal.AppConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM audit_events", connection);

        Assert.True((long)(await command.ExecuteScalarAsync())! >= 1);
        Assert.True(await AuditTestData.WriteAsync(portal, AuditTestData.Entry("test.appended")) > 1);
    }

    [Theory]
    [InlineData("UPDATE audit_events SET action = 'forged' WHERE sequence = 1", "UPDATE")]
    [InlineData("DELETE FROM audit_events WHERE sequence = 1", "DELETE")]
    [InlineData("TRUNCATE audit_events", "TRUNCATE")]
    public async Task Triggers_refuse_changes_even_to_the_owner_and_superuser(string sql, string operation)
    {
        var refused = await AuditTestData.RefusedAsync(portal.OwnerConnectionString, sql);

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains($"append-only: {operation} refused", refused.MessageText);
        Assert.Equal(1, portal.WithDb(db => db.AuditEvents.Count(e => e.Sequence == 1)));
    }
}
