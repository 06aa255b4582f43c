using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Paddock.Domain.Audit;

/// <summary>The tamper-evidence arithmetic: each event's MAC covers its canonical form and the previous
/// event's MAC, so editing, deleting or reordering any row breaks every MAC after it.</summary>
public static class AuditChain
{
    /// <summary>The MAC the first event chains from.</summary>
    public const string GenesisMac = "genesis";

    /// <summary>Postgres stores microseconds; the MAC must cover exactly what reads back.</summary>
    public static DateTime TruncateToMicroseconds(DateTime at)
    {
        var utc = at.Kind == DateTimeKind.Utc ? at : DateTime.SpecifyKind(at.ToUniversalTime(), DateTimeKind.Utc);
        return new DateTime(utc.Ticks - utc.Ticks % 10, DateTimeKind.Utc);
    }

    /// <summary>A stable serialisation: a JSON array of the fields in a fixed order, timestamps in a fixed format.</summary>
    public static string CanonicalForm(AuditEvent e) => JsonSerializer.Serialize(new object?[]
    {
        e.Sequence,
        TruncateToMicroseconds(e.At).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        e.ActorId, e.ActorName, e.Action, e.TargetType, e.TargetId,
        e.TeamId?.ToString(), e.ApplicationId?.ToString(),
        e.Before, e.After, e.ClientIp, e.CorrelationId,
        e.PreviousMac,
    });

    public static string ComputeMac(byte[] key, AuditEvent e) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(CanonicalForm(e))));

    /// <summary>Checks events given in sequence order. Returns the first event that does not verify, or null.</summary>
    public static AuditBreak? FindBreak(byte[] key, IEnumerable<AuditEvent> eventsInOrder, string expectedFirstPreviousMac = GenesisMac, long expectedFirstSequence = 1)
    {
        var previousMac = expectedFirstPreviousMac;
        var expectedSequence = expectedFirstSequence;
        foreach (var e in eventsInOrder)
        {
            if (e.Sequence != expectedSequence)
                return new AuditBreak(expectedSequence, $"Event {expectedSequence} is missing (found {e.Sequence} next).");
            if (!FixedTimeEquals(e.PreviousMac, previousMac))
                return new AuditBreak(e.Sequence, $"Event {e.Sequence} does not chain from the event before it.");
            if (!FixedTimeEquals(e.Mac, ComputeMac(key, e)))
                return new AuditBreak(e.Sequence, $"Event {e.Sequence} was changed after it was written.");
            previousMac = e.Mac;
            expectedSequence++;
        }
        return null;
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}

public sealed record AuditBreak(long Sequence, string Reason);
