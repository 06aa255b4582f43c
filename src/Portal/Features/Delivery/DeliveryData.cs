using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Delivery;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Persistence;

namespace Paddock.Portal.Features.Delivery;

/// <summary>Lean reads for the delivery measures: only the columns the Domain's arithmetic needs, in plain SQL
/// (production deployments of the team's apps by <c>application_id</c>; tickets by <c>(team_id, key)</c>).</summary>
public sealed class DeliveryData(PaddockDbContext db)
{
    public Task<List<Guid>> AppIdsAsync(Guid teamId, string? app, CancellationToken ct) => app is null
        ? db.Database.SqlQuery<Guid>($"""SELECT id AS "Value" FROM applications WHERE team_id = {teamId}""").ToListAsync(ct)
        : db.Database.SqlQuery<Guid>($"""SELECT id AS "Value" FROM applications WHERE team_id = {teamId} AND name = {app}""").ToListAsync(ct);

    public async Task<List<DeploymentRecord>> ProductionDeploymentsAsync(Guid[] appIds, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<ProductionRow>($"""
            SELECT d.id, d.environment_id, d.status, d.queued_at, d.finished_at,
                   d.redeploy_of, d.tickets, d.message
            FROM deployments d JOIN environments e ON e.id = d.environment_id
            WHERE d.application_id = ANY({appIds}) AND e.stage = 'Production' AND d.status IN ('Succeeded', 'Failed') AND d.finished_at IS NOT NULL
            """).ToListAsync(ct);
        return rows.Select(r => new DeploymentRecord(r.Id, r.EnvironmentId, Stage.Production,
            r.Status == "Succeeded" ? DeploymentStatus.Succeeded : DeploymentStatus.Failed, r.QueuedAt, r.FinishedAt, r.RedeployOf, r.Tickets,
            DeliveryRules.IsMarkedFix(r.Message))).ToList();
    }

    /// <summary>The team's tickets; with an app filter, only those its deployments carried.</summary>
    public async Task<List<TicketRow>> TicketsAsync(Guid teamId, Guid[]? appIds, CancellationToken ct) => appIds is null
        ? await db.Database.SqlQuery<TicketRow>($"""
            SELECT key, title, type, created_at, first_commit_at
            FROM tickets WHERE team_id = {teamId}
            """).ToListAsync(ct)
        : await db.Database.SqlQuery<TicketRow>($"""
            SELECT key, title, type, created_at, first_commit_at
            FROM tickets WHERE team_id = {teamId}
              AND key IN (SELECT DISTINCT unnest(tickets) FROM deployments WHERE application_id = ANY({appIds}))
            """).ToListAsync(ct);

    /// <summary>For a few tickets, the furthest stage a succeeded deployment took them to (GIN overlap on <c>tickets</c>).</summary>
    public async Task<Dictionary<string, Stage>> FurthestStagesAsync(Guid[] appIds, string[] keys, CancellationToken ct)
    {
        if (keys.Length == 0) return [];
        var rows = await db.Database.SqlQuery<StageRow>($"""
            SELECT e.stage, d.tickets
            FROM deployments d JOIN environments e ON e.id = d.environment_id
            WHERE d.tickets && {keys} AND d.application_id = ANY({appIds}) AND d.status = 'Succeeded'
            """).ToListAsync(ct);
        var furthest = new Dictionary<string, Stage>();
        foreach (var row in rows)
        {
            if (!Enum.TryParse<Stage>(row.Stage, out var stage) || stage == Stage.Preview) continue;
            foreach (var key in row.Tickets.Intersect(keys))
                if (!furthest.TryGetValue(key, out var known) || stage > known) furthest[key] = stage;
        }
        return furthest;
    }

    private sealed class ProductionRow
    {
        public Guid Id { get; init; }
        public Guid EnvironmentId { get; init; }
        public string Status { get; init; } = "";
        public DateTime QueuedAt { get; init; }
        public DateTime? FinishedAt { get; init; }
        public Guid? RedeployOf { get; init; }
        public string[] Tickets { get; init; } = [];
        public string? Message { get; init; }
    }

    private sealed class StageRow
    {
        public string Stage { get; init; } = "";
        public string[] Tickets { get; init; } = [];
    }
}

public sealed class TicketRow
{
    public string Key { get; init; } = "";
    public string? Title { get; init; }
    public string Type { get; init; } = "";
    public DateTime? CreatedAt { get; init; }
    public DateTime? FirstCommitAt { get; init; }

    public TicketRecord ToRecord() => new(Key, Enum.TryParse<TicketType>(Type, out var t) ? t : TicketType.Feature, CreatedAt, FirstCommitAt);
}

public static class DeliveryRules
{
    /// <summary>A deployment whose message starts with "fix" (fix:, fix(scope):, fix …) or says [fix] is marked as a fix.</summary>
    public static bool IsMarkedFix(string? message)
    {
        if (string.IsNullOrWhiteSpace(message)) return false;
        var m = message.TrimStart();
        return m.StartsWith("fix:", StringComparison.OrdinalIgnoreCase) || m.StartsWith("fix(", StringComparison.OrdinalIgnoreCase)
            || m.StartsWith("fix ", StringComparison.OrdinalIgnoreCase) || m.Contains("[fix]", StringComparison.OrdinalIgnoreCase);
    }
}
