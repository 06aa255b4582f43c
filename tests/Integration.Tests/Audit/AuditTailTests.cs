using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Audit;

/// <summary>The checkpoint follows the chain head within a second of each append, so even the newest event cannot be
/// removed unnoticed.</summary>
public sealed class AuditTailTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Deleting_the_newest_event_a_second_after_it_was_appended_is_detected()
    {
        await AuditTestData.WriteManyAsync(portal, 3);
        var head = await AuditTestData.HeadAsync(portal);

        await Task.Delay(TimeSpan.FromSeconds(1));
        await AuditTestData.TamperAsync(portal, $"DELETE FROM audit_events WHERE sequence = {head}");

        var result = await AuditTestData.VerifyAsync(portal);
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(head, result.GetProperty("checkpoint").GetProperty("sequence").GetInt64());
    }
}
