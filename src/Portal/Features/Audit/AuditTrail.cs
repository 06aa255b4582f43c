using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Audit;
using Paddock.Domain.Names;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;

namespace Paddock.Portal.Features.Audit;

/// <summary>Reading the audit trail: the filtered, paged list and the chain verification.</summary>
public sealed class AuditTrail(PaddockDbContext db, AccessQueries access, AuditVerifier verifier)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    private sealed record Criteria(string? Actor, Guid[]? TeamIds, Guid[]? AppIds, string? Action, bool ActionIsPrefix, DateTime? From, DateTime? To);

    /// <summary>Newest first. Admins see every event; users the events of their teams and their own;
    /// team tokens the events of their team.</summary>
    public async Task<Outcome<AuditPageView>> ListAsync(Caller caller, AuditFilter filter, Paging paging, CancellationToken ct)
    {
        var (parsed, invalid) = Parse(filter);
        if (invalid is not null) return invalid;
        var criteria = await ResolveNamesAsync(parsed!, filter, ct);

        var query = await VisibleToAsync(caller.Actor, ct);
        if (criteria.Actor is { } actor) query = query.Where(e => e.ActorId == actor || e.ActorName == actor);
        if (criteria.TeamIds is { } teamIds) query = query.Where(e => e.TeamId != null && teamIds.Contains(e.TeamId.Value));
        if (criteria.AppIds is { } appIds) query = query.Where(e => e.ApplicationId != null && appIds.Contains(e.ApplicationId.Value));
        if (criteria.Action is { } action)
            query = criteria.ActionIsPrefix ? query.Where(e => e.Action.StartsWith(action)) : query.Where(e => e.Action == action);
        if (criteria.From is { } from) query = query.Where(e => e.At >= from);
        if (criteria.To is { } to) query = query.Where(e => e.At < to);

        var total = await query.CountAsync(ct);
        var events = await query.OrderByDescending(e => e.Sequence)
            .Skip(paging.Skip)
            .Take(paging.PageSize)
            .ToListAsync(ct);
        var items = await ToViewsAsync(events, ct);
        return new AuditPageView(items, paging.Page, paging.PageSize, total, paging.NextPage(total));
    }

    /// <summary>Platform admins only: the trail proves the other users' actions, not its own readers'.</summary>
    public async Task<Outcome<AuditVerificationView>> VerifyAsync(Caller caller, CancellationToken ct)
    {
        if (!caller.Actor.IsPlatformAdmin) return Failure.Forbidden("Only platform admins can verify the audit trail.");
        var result = await verifier.VerifyAsync(ct);
        return new AuditVerificationView(result.Valid, result.Count, result.FirstBrokenSequence, result.Reason,
            result.Checkpoint is { } c ? new AuditCheckpointView(c.Sequence, c.Verified) : null);
    }

    private async Task<IQueryable<AuditEvent>> VisibleToAsync(Actor actor, CancellationToken ct)
    {
        var events = db.AuditEvents.AsNoTracking();
        var teamIds = await access.VisibleTeamIdsAsync(actor, ct);
        if (teamIds is null) return events;
        if (actor.Kind == ActorKind.TeamToken)
            return events.Where(e => e.TeamId != null && teamIds.Contains(e.TeamId.Value));
        var actorId = actor.Id;
        return events.Where(e => (e.TeamId != null && teamIds.Contains(e.TeamId.Value)) || e.ActorId == actorId);
    }

    /// <summary>Teams and apps are named in the filter; events keep ids, so a name matches every team or app
    /// that has it (deleted apps included). A GUID is taken as the id itself.</summary>
    private async Task<Criteria> ResolveNamesAsync(Criteria criteria, AuditFilter filter, CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(filter.Team))
        {
            var team = filter.Team.Trim();
            var ids = Guid.TryParse(team, out var id) ? [id]
                : await db.Teams.Where(t => t.Name == TeamName.FromTrusted(team)).Select(t => t.Id).ToArrayAsync(ct);
            criteria = criteria with { TeamIds = ids };
        }
        if (!string.IsNullOrWhiteSpace(filter.App))
        {
            var app = filter.App.Trim();
            var ids = Guid.TryParse(app, out var id) ? [id]
                : await db.Applications.Where(a => a.Name == AppName.FromTrusted(app)).Select(a => a.Id).ToArrayAsync(ct);
            criteria = criteria with { AppIds = ids };
        }
        return criteria;
    }

    private static (Criteria? Criteria, Failure? Invalid) Parse(AuditFilter filter)
    {
        var errors = new FieldErrors();
        var from = ParseTime(filter.From, "from", errors);
        var to = ParseTime(filter.To, "to", errors);
        if (from is not null && to is not null && from > to) errors.Add("to", "'to' must not be before 'from'.");

        string? action = string.IsNullOrWhiteSpace(filter.Action) ? null : filter.Action.Trim();
        var isPrefix = action?.EndsWith('*') == true;
        if (isPrefix) action = action![..^1];
        if (action is not null && action.Contains('*'))
            errors.Add("action", "Use an exact action, or a prefix followed by a single '*' at the end (e.g. 'team.*').");

        if (errors.Any) return (null, errors.ToFailure());
        var actor = string.IsNullOrWhiteSpace(filter.Actor) ? null : filter.Actor.Trim();
        return (new Criteria(actor, null, null, action, isPrefix, from, to), null);
    }

    private static DateTime? ParseTime(string? text, string field, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)) return value.UtcDateTime;
        errors.Add(field, $"'{field}' must be an ISO 8601 time, e.g. 2026-01-31T12:00:00Z.");
        return null;
    }

    private async Task<List<AuditEventView>> ToViewsAsync(List<AuditEvent> events, CancellationToken ct)
    {
        var teamIds = events.Where(e => e.TeamId != null).Select(e => e.TeamId!.Value).Distinct().ToList();
        var appIds = events.Where(e => e.ApplicationId != null).Select(e => e.ApplicationId!.Value).Distinct().ToList();
        var teamNames = teamIds.Count == 0 ? [] : (await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
            .ToDictionary(t => t.Id, t => t.Name.Value);
        var appNames = appIds.Count == 0 ? [] : (await db.Applications.AsNoTracking().Where(a => appIds.Contains(a.Id)).Select(a => new { a.Id, a.Name }).ToListAsync(ct))
            .ToDictionary(a => a.Id, a => a.Name.Value);
        return events.Select(e => new AuditEventView(
            e.Sequence, e.At, e.ActorId, e.ActorName, e.Action, e.TargetType, e.TargetId,
            e.TeamId is { } teamId ? new AuditSubjectView(teamId, teamNames.GetValueOrDefault(teamId)) : null,
            e.ApplicationId is { } appId ? new AuditSubjectView(appId, appNames.GetValueOrDefault(appId)) : null,
            ParseSnapshot(e.Before), ParseSnapshot(e.After), e.ClientIp, e.CorrelationId)).ToList();
    }

    /// <summary>Snapshots are written as JSON by <see cref="AuditJson"/>; anything else is shown as a JSON string.</summary>
    private static JsonElement? ParseSnapshot(string? text)
    {
        if (text is null) return null;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(text);
        }
    }
}
