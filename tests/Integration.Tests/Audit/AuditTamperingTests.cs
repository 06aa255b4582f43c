using System.Text.Json;
using Paddock.Integration.Tests.Infrastructure;

namespace Paddock.Integration.Tests.Audit;

// One class (so one database) per kind of tampering: once a chain is broken it stays broken.

public sealed class AuditEditTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Verification_fails_at_the_event_whose_after_text_was_edited()
    {
        var sequences = await AuditTestData.WriteManyAsync(portal, 5);
        Assert.True((await AuditTestData.VerifyAsync(portal)).GetProperty("valid").GetBoolean());

        await AuditTestData.TamperAsync(portal, $$"""UPDATE audit_events SET after = '{"state":"forged"}' WHERE sequence = {{sequences[2]}}""");

        var result = await AuditTestData.VerifyAsync(portal);
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(sequences[2], result.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal(sequences[2] - 1, result.GetProperty("count").GetInt64());
        Assert.Contains("changed", result.GetProperty("reason").GetString());
    }
}

public sealed class AuditDeletionTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Verification_fails_at_a_deleted_event_in_the_middle()
    {
        var sequences = await AuditTestData.WriteManyAsync(portal, 5);
        Assert.True((await AuditTestData.VerifyAsync(portal)).GetProperty("valid").GetBoolean());

        await AuditTestData.TamperAsync(portal, $"DELETE FROM audit_events WHERE sequence = {sequences[1]}");

        var result = await AuditTestData.VerifyAsync(portal);
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(sequences[1], result.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Contains("missing", result.GetProperty("reason").GetString());
    }
}

public sealed class AuditReorderingTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Verification_fails_at_the_earlier_of_two_events_whose_sequences_were_swapped()
    {
        var sequences = await AuditTestData.WriteManyAsync(portal, 5);
        Assert.True((await AuditTestData.VerifyAsync(portal)).GetProperty("valid").GetBoolean());
        var (a, b) = (sequences[1], sequences[3]);

        await AuditTestData.TamperAsync(portal, $"""
            UPDATE audit_events SET sequence = -1 WHERE sequence = {a};
            UPDATE audit_events SET sequence = {a} WHERE sequence = {b};
            UPDATE audit_events SET sequence = {b} WHERE sequence = -1;
            """);

        var result = await AuditTestData.VerifyAsync(portal);
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(a, result.GetProperty("firstBrokenSequence").GetInt64());
    }
}

public sealed class AuditTruncationTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task Deleting_the_tail_after_a_checkpoint_is_detected_and_the_checkpoint_is_not_moved_back()
    {
        await AuditTestData.WriteManyAsync(portal, 5);
        var checkpoint = await AuditTestData.WriteCheckpointAsync(portal);
        var head = await AuditTestData.HeadAsync(portal);
        Assert.Equal(head, checkpoint?.Sequence);
        var before = await AuditTestData.VerifyAsync(portal);
        Assert.True(before.GetProperty("valid").GetBoolean());
        Assert.Equal(head, before.GetProperty("count").GetInt64());
        Assert.Equal(head, before.GetProperty("checkpoint").GetProperty("sequence").GetInt64());
        Assert.True(before.GetProperty("checkpoint").GetProperty("verified").GetBoolean());

        // What remains is a perfectly valid chain on its own: only the checkpoint knows it once went further.
        await AuditTestData.TamperAsync(portal, $"DELETE FROM audit_events WHERE sequence > {head - 2}");

        var after = await AuditTestData.VerifyAsync(portal);
        Assert.False(after.GetProperty("valid").GetBoolean());
        Assert.Equal(head - 1, after.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal($"The trail was truncated after event {head - 2}: the checkpoint records event {head}.", after.GetProperty("reason").GetString());
        Assert.False(after.GetProperty("checkpoint").GetProperty("verified").GetBoolean());

        Assert.Null(await AuditTestData.WriteCheckpointAsync(portal));
        var kept = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(portal.DataDirectory, "audit-checkpoint")));
        Assert.Equal(head, kept.RootElement.GetProperty("sequence").GetInt64());
    }
}

public sealed class AuditCheckpointMismatchTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    [Fact]
    public async Task An_event_whose_mac_differs_from_the_checkpoint_makes_the_trail_invalid()
    {
        var sequences = await AuditTestData.WriteManyAsync(portal, 3);
        Assert.NotNull(await AuditTestData.WriteCheckpointAsync(portal));
        Assert.True((await AuditTestData.VerifyAsync(portal)).GetProperty("valid").GetBoolean());

        // As if the whole trail had been rebuilt: the row at the checkpoint is not the one the checkpoint saw.
        await File.WriteAllTextAsync(Path.Combine(portal.DataDirectory, "audit-checkpoint"),
            $$"""{"sequence":{{sequences[1]}},"mac":"{{new string('a', 64)}}","writtenAt":"2026-01-01T00:00:00Z"}""");

        var result = await AuditTestData.VerifyAsync(portal);
        Assert.False(result.GetProperty("valid").GetBoolean());
        Assert.Equal(sequences[1], result.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal($"Event {sequences[1]} differs from the checkpoint.", result.GetProperty("reason").GetString());
    }
}
