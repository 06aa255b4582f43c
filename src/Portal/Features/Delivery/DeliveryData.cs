using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Delivery;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Persistence;

namespace Paddock.Portal.Features.Delivery;

/// <summary>Lean reads for the delivery measures: only the rows and columns the Domain's arithmetic uses, in plain SQL.
/// Production deployments are found by their environments (a team's production environments first, then their
/// deployments by <c>environment_id</c>), so development and staging rows never leave the database; tickets by
/// <c>(team_id, key)</c>, without titles, which are read only for the few tickets a report names.</summary>
public sealed class DeliveryData(PaddockDbContext db)
{
    public Task<List<Guid>> AppIdsAsync(Guid teamId, string? app, CancellationToken ct) => app is null
        ? db.Database.SqlQuery<Guid>($"""SELECT id AS "Value" FROM applications WHERE team_id = {teamId}""").ToListAsync(ct)
        : db.Database.SqlQuery<Guid>($"""SELECT id AS "Value" FROM applications WHERE team_id = {teamId} AND name = {app}""").ToListAsync(ct);

    /// <summary>The apps' production-stage environments, deleted ones included: their history still counts.</summary>
    public Task<List<Guid>> ProductionEnvironmentIdsAsync(Guid[] appIds, CancellationToken ct) =>
        db.Database.SqlQuery<Guid>($"""
            SELECT id AS "Value" FROM environments WHERE application_id = ANY({appIds}) AND stage = 'Production'
            """).ToListAsync(ct);

    /// <summary>Finished production deployments. A message is read only when it can mark a fix (it mentions "fix");
    /// whether it does is still decided by <see cref="DeliveryRules.IsMarkedFix"/>, the one definition.</summary>
    public async Task<List<DeploymentRecord>> ProductionDeploymentsAsync(Guid[] productionEnvironmentIds, CancellationToken ct)
    {
        var rows = await db.Database.SqlQuery<ProductionRow>($"""
            SELECT id, environment_id, status, queued_at, finished_at, redeploy_of, tickets,
                   CASE WHEN message ILIKE '%fix%' THEN message END AS message
            FROM deployments
            WHERE environment_id = ANY({productionEnvironmentIds}) AND status IN ('Succeeded', 'Failed') AND finished_at IS NOT NULL
            """).ToListAsync(ct);
        return rows.Select(r => new DeploymentRecord(r.Id, r.EnvironmentId, Stage.Production,
            r.Status == "Succeeded" ? DeploymentStatus.Succeeded : DeploymentStatus.Failed, r.QueuedAt, r.FinishedAt, r.RedeployOf, r.Tickets,
            DeliveryRules.IsMarkedFix(r.Message))).ToList();
    }

    /// <summary>The team's tickets (no titles); with an app filter, only those its deployments carried.</summary>
    public async Task<List<TicketRecord>> TicketsAsync(Guid teamId, Guid[]? appIds, CancellationToken ct)
    {
        var rows = appIds is null
            ? await db.Database.SqlQuery<TicketRow>($"""
                SELECT key, type, created_at, first_commit_at
                FROM tickets WHERE team_id = {teamId}
                """).ToListAsync(ct)
            : await db.Database.SqlQuery<TicketRow>($"""
                SELECT key, type, created_at, first_commit_at
                FROM tickets WHERE team_id = {teamId}
                  AND key IN (SELECT DISTINCT unnest(tickets) FROM deployments WHERE application_id = ANY({appIds}))
                """).ToListAsync(ct);
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Titles of the given tickets of the team (null: all of them, one scan rather than a long key list).</summary>
    public async Task<Dictionary<string, string?>> TitlesAsync(Guid teamId, string[]? keys, CancellationToken ct)
    {
        if (keys is { Length: 0 }) return new(StringComparer.OrdinalIgnoreCase);
        var rows = keys is null
            ? await db.Database.SqlQuery<TitleRow>($"SELECT key, title FROM tickets WHERE team_id = {teamId}").ToListAsync(ct)
            : await db.Database.SqlQuery<TitleRow>($"SELECT key, title FROM tickets WHERE team_id = {teamId} AND key = ANY({keys})").ToListAsync(ct);
        return rows.ToDictionary(r => r.Key, r => r.Title, StringComparer.OrdinalIgnoreCase);
    }

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

    private sealed class TicketRow
    {
        public string Key { get; init; } = "";
        public string Type { get; init; } = "";
        public DateTime? CreatedAt { get; init; }
        public DateTime? FirstCommitAt { get; init; }

        public TicketRecord ToRecord() => new(Key, Enum.TryParse<TicketType>(Type, out var t) ? t : TicketType.Feature, CreatedAt, FirstCommitAt);
    }

    private sealed class TitleRow
    {
        public string Key { get; init; } = "";
        public string? Title { get; init; }
    }

    private sealed class StageRow
    {
        public string Stage { get; init; } = "";
        public string[] Tickets { get; init; } = [];
    }
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
