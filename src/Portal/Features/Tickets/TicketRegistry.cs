using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Tickets;
using Paddock.Persistence;

namespace Paddock.Portal.Features.Tickets;

/// <summary>A commit a deployment or a webhook carries: its message and branch may name tickets.</summary>
public sealed record CommitInfo(string? Sha, string? Message, DateTime? Timestamp);

/// <summary>The one place tickets are written. Every source (deployments, webhooks, the API) hands over what it knows;
/// an upsert per key merges it in the database, so concurrent deliveries about the same ticket cannot collide.
/// Writes join the caller's open transaction; the caller writes the one audit event for its request.</summary>
public sealed class TicketRegistry(PaddockDbContext db, TimeProvider clock)
{
    /// <summary>The team's key patterns (the default <c>[A-Z][A-Z0-9]+-\d+</c> unless the team set its own).</summary>
    public async Task<TicketKeys> KeysForAsync(Guid teamId, CancellationToken ct)
    {
        var patterns = await db.TeamDeliverySettings.AsNoTracking().Where(s => s.TeamId == teamId)
            .Select(s => s.TicketKeyPatterns).FirstOrDefaultAsync(ct);
        return TicketKeys.For(patterns);
    }

    /// <summary>Facts from commits and a branch name: each key found gets the earliest commit time that names it
    /// (a key in the branch name counts from the branch's earliest commit).</summary>
    public static IReadOnlyList<TicketFacts> FromCommits(TicketKeys keys, IEnumerable<CommitInfo>? commits, string? branch)
    {
        var list = commits?.ToList() ?? [];
        var earliest = list.Select(c => c.Timestamp).Where(t => t is not null).Min();
        var facts = list.SelectMany(c => keys.Find(c.Message).Select(k => new TicketFacts(k, FirstCommitAt: c.Timestamp))).ToList();
        facts.AddRange(keys.Find(branch).Select(k => new TicketFacts(k, FirstCommitAt: earliest)));
        return TicketFacts.Merge(facts);
    }

    /// <summary>Upserts the team's tickets; answers the keys that were new.</summary>
    public async Task<IReadOnlyList<string>> RecordAsync(Guid teamId, IEnumerable<TicketFacts> facts, string source, CancellationToken ct)
    {
        var created = new List<string>();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var f in TicketFacts.Merge(facts))
        {
            var typeGiven = f.Type is not null;
            var type = (f.Type ?? Domain.Delivery.TicketType.Feature).ToString();
            // xmax = 0 only on a freshly inserted row: tells new tickets from updated ones in one round trip.
            var inserted = await db.Database.SqlQuery<bool>($"""
                INSERT INTO tickets AS t (id, team_id, key, title, url, type, created_at, first_commit_at, source, recorded_at)
                VALUES ({Guid.CreateVersion7()}, {teamId}, {f.Key}, {f.Title}, {f.Url}, {type}, {Utc(f.CreatedAt)}, {Utc(f.FirstCommitAt)}, {source}, {now})
                ON CONFLICT (team_id, key) DO UPDATE SET
                    title = COALESCE(EXCLUDED.title, t.title),
                    url = COALESCE(EXCLUDED.url, t.url),
                    type = CASE WHEN {typeGiven} THEN EXCLUDED.type ELSE t.type END,
                    created_at = COALESCE(EXCLUDED.created_at, t.created_at),
                    first_commit_at = LEAST(t.first_commit_at, EXCLUDED.first_commit_at)
                RETURNING (xmax = 0) AS "Value"
                """).ToListAsync(ct);
            if (inserted.Single()) created.Add(f.Key);
        }
        return created;
    }

    private static DateTime? Utc(DateTime? at) => at is { } value ? DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc) : null;
}
