using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;

namespace Paddock.Portal.Components.Shared;

public enum SearchKind { Team, App, Environment, Ticket }

public sealed record SearchHit(SearchKind Kind, string Label, string Href);

/// <summary>The app bar's search: teams, apps and environments the caller can see, by part of their name, and the
/// tickets of the teams they can see, by the start of their key or part of their title.</summary>
public static class SearchQueries
{
    public const int MaxHits = 12;
    private const string Escape = @"\";

    public static async Task<IReadOnlyList<SearchHit>> FindAsync(IServiceProvider services, Caller caller, string text, CancellationToken ct)
    {
        text = text.Trim().ToLowerInvariant();
        if (text.Length == 0) return [];
        var db = services.GetRequiredService<PaddockDbContext>();
        var visible = await services.GetRequiredService<AccessQueries>().VisibleTeamIdsAsync(caller.Actor, ct);
        // Names are short DNS labels and a platform has hundreds of them, not millions: match in memory.
        var teams = (await db.Teams.AsNoTracking()
                .Where(t => visible == null || visible.Contains(t.Id))
                .Select(t => new { t.Name, t.DisplayName }).ToListAsync(ct))
            .Where(t => t.Name.Value.Contains(text) || t.DisplayName.Contains(text, StringComparison.OrdinalIgnoreCase))
            .Select(t => t.Name).OrderBy(n => n.Value).Take(MaxHits).ToList();
        var apps = (await db.Applications.AsNoTracking()
                .Where(a => a.DeletedAt == null && (visible == null || visible.Contains(a.TeamId)))
                .Select(a => a.Name).ToListAsync(ct))
            .Where(a => a.Value.Contains(text)).OrderBy(a => a.Value).Take(MaxHits).ToList();
        var environments = (await db.Environments.AsNoTracking()
                .Where(e => e.DeletedAt == null)
                .Join(db.Applications.Where(a => a.DeletedAt == null && (visible == null || visible.Contains(a.TeamId))),
                    e => e.ApplicationId, a => a.Id, (e, a) => new { App = a.Name, Env = e.Name, e.ResourceName })
                .ToListAsync(ct))
            .Where(r => r.ResourceName.Value.Contains(text)).OrderBy(r => r.ResourceName.Value).Take(MaxHits).ToList();

        var tickets = await TicketsAsync(db, visible, text, ct);

        return teams.Select(t => new SearchHit(SearchKind.Team, t.Value, Links.Team(t.Value)))
            .Concat(apps.Select(a => new SearchHit(SearchKind.App, a.Value, Links.App(a.Value))))
            .Concat(environments.Select(e => new SearchHit(SearchKind.Environment, $"{e.App.Value} / {e.Env.Value}", Links.Environment(e.App.Value, e.Env.Value))))
            .Concat(tickets)
            .Take(MaxHits)
            .ToList();
    }

    private static async Task<List<SearchHit>> TicketsAsync(PaddockDbContext db, IReadOnlyCollection<Guid>? visible, string text, CancellationToken ct)
    {
        var found = await TicketMatches(db, visible, text).ToListAsync(ct);
        return found.Select(t => new SearchHit(SearchKind.Ticket, t.Title is null ? t.Key : $"{t.Key} · {t.Title}", Links.Ticket(t.Key, t.Team.Value))).ToList();
    }

    internal sealed record TicketMatch(string Key, string? Title, Domain.Names.TeamName Team);

    /// <summary>Tickets run to tens of thousands per team, so these are matched in SQL (the trigram indexes of
    /// <c>TicketConfiguration</c> serve both patterns); keys that start with the text come before titles that
    /// contain it.</summary>
    internal static IQueryable<TicketMatch> TicketMatches(PaddockDbContext db, IReadOnlyCollection<Guid>? visible, string text)
    {
        // Npgsql's ILike without an escape character passes ESCAPE '': the escape is named so the user's % and _ stay literal.
        var literal = text.Replace(Escape, Escape + Escape).Replace("%", Escape + "%").Replace("_", Escape + "_");
        return db.Tickets.AsNoTracking()
            .Where(t => visible == null || visible.Contains(t.TeamId))
            .Where(t => EF.Functions.ILike(t.Key, literal + "%", Escape) || (t.Title != null && EF.Functions.ILike(t.Title, "%" + literal + "%", Escape)))
            .Join(db.Teams, t => t.TeamId, team => team.Id, (t, team) => new { t.Key, t.Title, Team = team.Name })
            .OrderBy(t => EF.Functions.ILike(t.Key, literal + "%", Escape) ? 0 : 1).ThenBy(t => t.Key)
            .Take(MaxHits)
            .Select(t => new TicketMatch(t.Key, t.Title, t.Team));
    }
}
