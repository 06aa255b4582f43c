using System.Text.Json;
using System.Text.Json.Serialization;

namespace Paddock.Portal.Features.Audit;

/// <summary>A team or application an event belongs to; the name is null when it no longer exists.</summary>
public sealed record AuditSubjectView(Guid Id, string? Name);

/// <summary>One audit event as the API shows it; before and after are the stored JSON snapshots.</summary>
public sealed record AuditEventView(
    long Sequence,
    DateTime At,
    string ActorId,
    string ActorName,
    string Action,
    string TargetType,
    string? TargetId,
    AuditSubjectView? Team,
    AuditSubjectView? App,
    JsonElement? Before,
    JsonElement? After,
    string? ClientIp,
    string? CorrelationId);

/// <summary>One page of events, newest first. <see cref="NextPage"/> is null on the last page.</summary>
public sealed record AuditPageView(IReadOnlyList<AuditEventView> Items, int Page, int PageSize, int Total, int? NextPage);

public sealed record AuditCheckpointView(long Sequence, bool Verified);

/// <summary>The answer of <c>GET /api/v1/audit/verify</c>; every field is always present.</summary>
public sealed record AuditVerificationView(
    bool Valid,
    long Count,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? FirstBrokenSequence,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Reason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] AuditCheckpointView? Checkpoint);

/// <summary>The filters of <c>GET /api/v1/audit</c> (its paging is a <see cref="Api.Paging"/>), as text so that bad values
/// become field errors.</summary>
public sealed record AuditFilter(string? Actor, string? Team, string? App, string? Action, string? From, string? To);
