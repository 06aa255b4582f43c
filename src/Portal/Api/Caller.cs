using Paddock.Domain.Access;
using Paddock.Domain.Audit;
using Paddock.Persistence;

namespace Paddock.Portal.Api;

/// <summary>Who is calling a feature service and from where: what authorization and the audit trail need.
/// The REST API builds it from the HTTP request, the Blazor UI from the circuit's user.</summary>
public sealed record Caller(Actor Actor, string? ClientIp, string? CorrelationId)
{
    public static Caller System(string component) => new(Actor.System(component), null, null);

    /// <summary>An audit entry for a change made by this caller. Before and after are serialised with
    /// <see cref="AuditJson"/>; pass views that never contain secret values.</summary>
    public AuditEntry Audit(string action, string targetType, string? targetId, Guid? teamId, Guid? applicationId, object? before, object? after) =>
        new(Actor.Id, Actor.Name, action, targetType, targetId, teamId, applicationId,
            AuditJson.Serialize(before), AuditJson.Serialize(after), ClientIp, CorrelationId);
}
