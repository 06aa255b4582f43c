using System.Reflection;
using System.Text;
using Paddock.Domain.Audit;

namespace Paddock.Domain.Tests.Audit;

public sealed class AuditChainTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a-test-key-of-at-least-32-bytes!!");
    private static readonly DateTime Start = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private static AuditEntry Entry(int n) => new(
        $"user-{n}", $"user{n}@example.com", "team.updated", "team", $"target-{n}",
        Guid.Parse("0195a1b2-0000-7000-8000-000000000001"), null,
        """{"displayName":"Old"}""", $$"""{"displayName":"New {{n}}"}""", "10.0.0.1", $"corr-{n}");

    private static List<AuditEvent> Chain(int length)
    {
        var events = new List<AuditEvent>();
        var previous = AuditChain.GenesisMac;
        for (var i = 1; i <= length; i++)
        {
            var e = new AuditEvent(Entry(i), i, Start.AddTicks(i * 12_345), previous, Key);
            events.Add(e);
            previous = e.Mac;
        }
        return events;
    }

    /// <summary>What someone with write access to the table could do: change a column, keeping the stored MAC.</summary>
    private static AuditEvent With(AuditEvent e, string property, object? value)
    {
        var copy = (AuditEvent)typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(e, null)!;
        typeof(AuditEvent).GetProperty(property)!.SetValue(copy, value);
        return copy;
    }

    [Fact]
    public void The_canonical_form_is_the_same_for_the_same_content()
    {
        var a = new AuditEvent(Entry(1), 1, Start, AuditChain.GenesisMac, Key);
        var b = new AuditEvent(Entry(1), 1, Start, AuditChain.GenesisMac, Key);

        Assert.Equal(AuditChain.CanonicalForm(a), AuditChain.CanonicalForm(b));
        Assert.Equal(a.Mac, b.Mac);
        Assert.Equal(64, a.Mac.Length);
    }

    [Fact]
    public void The_canonical_form_does_not_depend_on_the_kind_of_the_timestamp_read_back()
    {
        var written = new AuditEvent(Entry(1), 1, Start.AddTicks(50), AuditChain.GenesisMac, Key);
        var readBackAsLocal = With(written, nameof(AuditEvent.At), written.At.ToLocalTime());

        Assert.Equal(AuditChain.CanonicalForm(written), AuditChain.CanonicalForm(readBackAsLocal));
    }

    [Fact]
    public void Timestamps_are_truncated_to_microseconds_as_postgres_stores_them()
    {
        var at = new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(1_234_567);
        var e = new AuditEvent(Entry(1), 1, at, AuditChain.GenesisMac, Key);

        Assert.Equal(at.AddTicks(-7), e.At);
        Assert.Equal(DateTimeKind.Utc, e.At.Kind);
        Assert.Contains("2026-03-01T12:00:00.123456Z", AuditChain.CanonicalForm(e));
        // What Postgres hands back (microsecond precision) verifies against the MAC computed at write time.
        Assert.Equal(e.Mac, AuditChain.ComputeMac(Key, With(e, nameof(AuditEvent.At), at.AddTicks(-7))));
    }

    public static TheoryData<string, object?> FieldChanges => new()
    {
        { nameof(AuditEvent.Sequence), 2L },
        { nameof(AuditEvent.At), Start.AddSeconds(1) },
        { nameof(AuditEvent.ActorId), "someone-else" },
        { nameof(AuditEvent.ActorName), "mallory@example.com" },
        { nameof(AuditEvent.Action), "team.deleted" },
        { nameof(AuditEvent.TargetType), "app" },
        { nameof(AuditEvent.TargetId), "other-target" },
        { nameof(AuditEvent.TeamId), null },
        { nameof(AuditEvent.ApplicationId), Guid.NewGuid() },
        { nameof(AuditEvent.Before), null },
        { nameof(AuditEvent.After), """{"displayName":"Forged"}""" },
        { nameof(AuditEvent.After), """{ "displayName":"New 1"}""" },
        { nameof(AuditEvent.ClientIp), "10.0.0.2" },
        { nameof(AuditEvent.CorrelationId), "corr-2" },
        { nameof(AuditEvent.PreviousMac), new string('0', 64) },
    };

    [Theory]
    [MemberData(nameof(FieldChanges))]
    public void Changing_any_field_breaks_the_mac(string property, object? value)
    {
        var e = new AuditEvent(Entry(1), 1, Start, AuditChain.GenesisMac, Key);

        Assert.NotEqual(e.Mac, AuditChain.ComputeMac(Key, With(e, property, value)));
    }

    [Fact]
    public void A_different_key_gives_a_different_mac()
    {
        var e = new AuditEvent(Entry(1), 1, Start, AuditChain.GenesisMac, Key);

        Assert.NotEqual(e.Mac, AuditChain.ComputeMac(Encoding.UTF8.GetBytes("another-key-of-at-least-32-bytes!"), e));
    }

    [Fact]
    public void An_untouched_chain_has_no_break()
    {
        Assert.Null(AuditChain.FindBreak(Key, Chain(10)));
        Assert.Null(AuditChain.FindBreak(Key, []));
    }

    [Fact]
    public void A_chain_checked_in_batches_has_no_break()
    {
        var chain = Chain(10);

        Assert.Null(AuditChain.FindBreak(Key, chain.Take(4)));
        Assert.Null(AuditChain.FindBreak(Key, chain.Skip(4), chain[3].Mac, 5));
    }

    [Fact]
    public void An_edited_event_is_the_first_break()
    {
        var chain = Chain(10);
        chain[5] = With(chain[5], nameof(AuditEvent.After), """{"displayName":"Forged"}""");

        var broken = AuditChain.FindBreak(Key, chain);

        Assert.Equal(6, broken?.Sequence);
        Assert.Contains("changed", broken!.Reason);
    }

    [Fact]
    public void A_deleted_event_is_reported_as_missing()
    {
        var chain = Chain(10);
        chain.RemoveAt(3);

        var broken = AuditChain.FindBreak(Key, chain);

        Assert.Equal(4, broken?.Sequence);
        Assert.Contains("missing", broken!.Reason);
    }

    [Fact]
    public void Deleting_the_first_event_is_detected()
    {
        Assert.Equal(1, AuditChain.FindBreak(Key, Chain(3).Skip(1))?.Sequence);
    }

    [Fact]
    public void Events_whose_sequences_were_swapped_break_at_the_earlier_one()
    {
        var chain = Chain(10);
        var third = chain[2];
        var seventh = chain[6];
        chain[2] = With(seventh, nameof(AuditEvent.Sequence), 3L);
        chain[6] = With(third, nameof(AuditEvent.Sequence), 7L);

        Assert.Equal(3, AuditChain.FindBreak(Key, chain)?.Sequence);
    }

    [Fact]
    public void A_re_signed_event_still_breaks_the_chain_at_the_next_event()
    {
        // An edited event with a freshly computed MAC (as if the key leaked for one row) no longer matches
        // what its successor chained from.
        var chain = Chain(5);
        chain[1] = new AuditEvent(Entry(99), 2, Start, chain[0].Mac, Key);

        Assert.Equal(3, AuditChain.FindBreak(Key, chain)?.Sequence);
    }
}
