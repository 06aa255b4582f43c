using Paddock.Domain.Delivery;

namespace Paddock.Domain.Tickets;

/// <summary>A tracker ticket as Paddock knows it, one per team and key. Facts arrive from several places (deployments,
/// commits, webhooks, the API) in any order, so each one only fills in or narrows what is known, never erases it.</summary>
public sealed class Ticket
{
    public const int MaxTitleLength = 500;
    public const int MaxUrlLength = 2000;

    public Guid Id { get; private set; }
    public Guid TeamId { get; private set; }
    public string Key { get; private set; } = "";
    public string? Title { get; private set; }
    public string? Url { get; private set; }
    public TicketType Type { get; private set; }
    /// <summary>When the tracker says the ticket was created: the tracker's clock, which may be ahead of ours.</summary>
    public DateTime? CreatedAt { get; private set; }
    public DateTime? FirstCommitAt { get; private set; }
    /// <summary>Where Paddock first heard of it: deployment, commit, api, github, jira, generic.</summary>
    public string Source { get; private set; } = "";
    public DateTime RecordedAt { get; private set; }

    private Ticket() { }

    public Ticket(Guid teamId, string key, string source, DateTime recordedAt)
    {
        Id = Guid.CreateVersion7();
        TeamId = teamId;
        Key = key.ToUpperInvariant();
        Source = source;
        RecordedAt = recordedAt;
    }

    public TicketRecord ToRecord() => new(Key, Type, CreatedAt, FirstCommitAt);
}

/// <summary>What one source says about a ticket; nulls mean "does not say".</summary>
public sealed record TicketFacts(
    string Key,
    string? Title = null,
    string? Url = null,
    TicketType? Type = null,
    DateTime? CreatedAt = null,
    DateTime? FirstCommitAt = null)
{
    /// <summary>Facts about the same key from one delivery, merged: the earliest commit wins, the first title given wins.</summary>
    public static IReadOnlyList<TicketFacts> Merge(IEnumerable<TicketFacts> facts) =>
        facts.GroupBy(f => f.Key.ToUpperInvariant())
            .Select(g => new TicketFacts(g.Key,
                g.Select(f => f.Title).FirstOrDefault(t => t is not null),
                g.Select(f => f.Url).FirstOrDefault(u => u is not null),
                g.Select(f => f.Type).FirstOrDefault(t => t is not null),
                g.Select(f => f.CreatedAt).FirstOrDefault(c => c is not null),
                g.Select(f => f.FirstCommitAt).Where(c => c is not null).Min()))
            .ToList();
}
