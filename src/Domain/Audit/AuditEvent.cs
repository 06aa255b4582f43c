namespace Paddock.Domain.Audit;

/// <summary>One entry of the append-only, hash-chained audit trail. <see cref="Before"/> and <see cref="After"/>
/// are JSON text (stored as text, not jsonb, so they read back byte-identical for the MAC).</summary>
public sealed class AuditEvent
{
    public long Sequence { get; private set; }
    public DateTime At { get; private set; }
    public string ActorId { get; private set; } = "";
    public string ActorName { get; private set; } = "";
    public string Action { get; private set; } = "";
    public string TargetType { get; private set; } = "";
    public string? TargetId { get; private set; }
    public Guid? TeamId { get; private set; }
    public Guid? ApplicationId { get; private set; }
    public string? Before { get; private set; }
    public string? After { get; private set; }
    public string? ClientIp { get; private set; }
    public string? CorrelationId { get; private set; }
    public string PreviousMac { get; private set; } = "";
    public string Mac { get; private set; } = "";

    private AuditEvent() { }

    public AuditEvent(AuditEntry entry, long sequence, DateTime at, string previousMac, byte[] key)
    {
        Sequence = sequence;
        At = AuditChain.TruncateToMicroseconds(at);
        ActorId = entry.ActorId;
        ActorName = entry.ActorName;
        Action = entry.Action;
        TargetType = entry.TargetType;
        TargetId = entry.TargetId;
        TeamId = entry.TeamId;
        ApplicationId = entry.ApplicationId;
        Before = entry.Before;
        After = entry.After;
        ClientIp = entry.ClientIp;
        CorrelationId = entry.CorrelationId;
        PreviousMac = previousMac;
        Mac = AuditChain.ComputeMac(key, this);
    }
}

/// <summary>What a change wants recorded; the writer adds sequence, time and the chain MAC.</summary>
public sealed record AuditEntry(
    string ActorId,
    string ActorName,
    string Action,
    string TargetType,
    string? TargetId,
    Guid? TeamId,
    Guid? ApplicationId,
    string? Before,
    string? After,
    string? ClientIp,
    string? CorrelationId);
