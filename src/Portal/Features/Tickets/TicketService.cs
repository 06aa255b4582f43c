using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Delivery;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;
using Paddock.Domain.Tickets;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;

namespace Paddock.Portal.Features.Tickets;

public sealed record RecordedTicket(TicketView Ticket, bool Created);

/// <summary>Recording tickets by hand or from scripts, and "where is my ticket".</summary>
public sealed class TicketService(PaddockDbContext db, AccessQueries access, TicketRegistry registry, AuditLog audit)
{
    public async Task<Outcome<RecordedTicket>> RecordAsync(Caller caller, RecordTicketRequest request, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var (team, teamAccess) = string.IsNullOrWhiteSpace(request.Team) ? (null, TeamAccess.None) : await access.TeamAsync(caller.Actor, request.Team.Trim(), ct);
        if (team is null)
        {
            errors.Add("team", string.IsNullOrWhiteSpace(request.Team) ? "Required: the team the ticket belongs to." : $"Unknown team '{request.Team}'.");
            return errors.ToFailure();
        }
        if (teamAccess < TeamAccess.Deploy)
            return Failure.Forbidden($"Recording tickets of team '{team.Name}' needs the member or owner role, or a deploy-scoped team token.");
        request.Validate(await registry.KeysForAsync(team.Id, ct), errors);
        if (errors.Any) return errors.ToFailure();

        var key = request.Key!.Trim().ToUpperInvariant();
        var before = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.TeamId == team.Id && t.Key == key, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await registry.RecordAsync(team.Id,
            [new TicketFacts(key, request.Title?.Trim(), request.Url, request.Type, request.CreatedAt?.UtcDateTime)], "api", ct);
        var after = await db.Tickets.AsNoTracking().SingleAsync(t => t.TeamId == team.Id && t.Key == key, ct);
        var view = TicketView.Of(after, team.Name.Value);
        await audit.SaveChangesAsync(caller.Audit(created.Count > 0 ? "ticket.created" : "ticket.updated", "ticket", after.Id.ToString(), team.Id, null,
            before is null ? null : TicketView.Of(before, team.Name.Value), view), ct);
        await transaction.CommitAsync(ct);
        return new RecordedTicket(view, created.Count > 0);
    }

    public async Task<Outcome<TicketDetailView>> GetAsync(Caller caller, string key, string? teamName, CancellationToken ct)
    {
        var normalized = key.Trim().ToUpperInvariant();
        var candidates = await CandidatesAsync(caller, normalized, ct);
        if (teamName is not null) candidates = candidates.Where(c => c.Team.Value == teamName).ToList();
        if (candidates.Count == 0) return Failure.NotFound($"Ticket '{key}'");
        if (candidates.Count > 1)
            return Failure.Invalid("team", $"'{normalized}' is a ticket of several teams ({string.Join(", ", candidates.Select(c => c.Team.Value).Order())}); say which with ?team=.");

        var (ticket, team) = (candidates[0].Ticket, candidates[0].Team.Value);
        var carried = await CarriedAsync(ticket.TeamId, ticket.Key, ct);
        var timeline = TicketTimeline.For(ticket.ToRecord(), carried);
        return new TicketDetailView(
            TicketView.Of(ticket, team),
            timeline.Steps.Select(s => new TimelineEntryView(s.Step, s.At, s.SincePrevious, s.By, s.Application, s.Environment, s.DeploymentId)).ToList(),
            timeline.Reached, timeline.LeadTime,
            carried.Select(c => new CarriedDeploymentView(c.Deployment.Id, c.Application, c.Environment, c.Deployment.Stage, c.Revision,
                c.Deployment.Status, c.Deployment.QueuedAt, c.Deployment.FinishedAt, c.Deployment.TriggeredBy)).ToList(),
            await RunningInAsync(carried, ct));
    }

    /// <summary>The environments (not deleted) whose current deployment runs the ticket: see <see cref="TicketPresence"/>.</summary>
    private async Task<IReadOnlyList<TicketLocationView>> RunningInAsync(List<CarriedDeployment> carried, CancellationToken ct)
    {
        var firstSucceeded = carried.Where(c => c.Deployment.Status == DeploymentStatus.Succeeded)
            .GroupBy(c => c.Deployment.EnvironmentId)
            .ToDictionary(g => g.Key, g => g.MinBy(c => c.Revision)!);
        if (firstSucceeded.Count == 0) return [];
        var environmentIds = firstSucceeded.Keys.ToList();
        var current = await db.Environments.AsNoTracking().Where(e => environmentIds.Contains(e.Id) && e.DeletedAt == null)
            .Select(e => new { e.Id, e.CurrentDeploymentId }).ToListAsync(ct);
        var history = await db.Deployments.AsNoTracking().Where(d => environmentIds.Contains(d.EnvironmentId))
            .Select(d => new { d.Id, d.Revision, d.RedeployOf }).ToDictionaryAsync(d => d.Id, d => new TicketPresence.Revision(d.Revision, d.RedeployOf), ct);
        return current
            .Where(e => TicketPresence.RunsTicket(firstSucceeded[e.Id].Revision, e.CurrentDeploymentId, history))
            .Select(e => firstSucceeded[e.Id])
            .Select(c => new TicketLocationView(c.Application, c.Environment, c.Deployment.Stage))
            .OrderByDescending(l => l.Stage).ThenBy(l => l.App).ThenBy(l => l.Environment)
            .ToList();
    }

    /// <summary>The teams the caller can see that have a ticket with this key: the choices when a key is ambiguous.</summary>
    public async Task<IReadOnlyList<string>> TeamsWithAsync(Caller caller, string key, CancellationToken ct) =>
        (await CandidatesAsync(caller, key.Trim().ToUpperInvariant(), ct)).Select(c => c.Team.Value).Order().ToList();

    private async Task<List<(Ticket Ticket, TeamName Team)>> CandidatesAsync(Caller caller, string normalizedKey, CancellationToken ct)
    {
        var visible = await access.VisibleTeamIdsAsync(caller.Actor, ct);
        var rows = await db.Tickets.AsNoTracking()
            .Where(t => t.Key == normalizedKey && (visible == null || visible.Contains(t.TeamId)))
            .Join(db.Teams, t => t.TeamId, team => team.Id, (t, team) => new { Ticket = t, Team = team.Name })
            .ToListAsync(ct);
        return rows.Select(r => (r.Ticket, r.Team)).ToList();
    }

    /// <summary>The team's deployments that carried the key, oldest first: the GIN index on <c>deployments.tickets</c> finds them.</summary>
    private async Task<List<CarriedDeployment>> CarriedAsync(Guid teamId, string key, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<CarriedRow>($"""
            SELECT d.id, d.environment_id, e.stage, d.status, d.queued_at,
                   d.finished_at, d.redeploy_of, d.tickets, d.triggered_by_name AS triggered_by,
                   d.revision, a.name AS app, e.name AS environment
            FROM deployments d
            JOIN environments e ON e.id = d.environment_id
            JOIN applications a ON a.id = d.application_id
            WHERE a.team_id = {teamId} AND d.tickets @> ARRAY[{key}]::text[]
            ORDER BY d.queued_at, d.id
            """).ToListAsync(ct);
        return rows.Select(r => new CarriedDeployment(
            new DeploymentRecord(r.Id, r.EnvironmentId, Enum.Parse<Stage>(r.Stage), Enum.Parse<DeploymentStatus>(r.Status), r.QueuedAt, r.FinishedAt,
                r.RedeployOf, r.Tickets, TriggeredBy: r.TriggeredBy), r.App, r.Environment, r.Revision)).ToList();
    }

    private sealed class CarriedRow
    {
        public Guid Id { get; init; }
        public Guid EnvironmentId { get; init; }
        public string Stage { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTime QueuedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
        public Guid? RedeployOf { get; init; }
        public string[] Tickets { get; init; } = [];
        public string? TriggeredBy { get; init; }
        public int Revision { get; init; }
        public string App { get; init; } = "";
        public string Environment { get; init; } = "";
    }
}
