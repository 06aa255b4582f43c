using Microsoft.EntityFrameworkCore;
using Paddock.Persistence;
using Paddock.Portal.Components.Shared;
using Paddock.Portal.Features.Audit;

namespace Paddock.Portal.Components.Pages.Audit;

/// <summary>How the audit list names an event's target: "shop / dev" for an environment, "shop / dev #3" for a
/// deployment, the team's or app's name, each with a link; anything else by its type and a short id. The events
/// were already filtered by what the caller may see, so naming their targets shows nothing more.</summary>
public static class AuditTargets
{
    public sealed record Target(string Text, string? Href);

    public static async Task<IReadOnlyDictionary<long, Target>> NameAsync(PaddockDbContext db, IReadOnlyList<AuditEventView> events, CancellationToken ct)
    {
        var environmentIds = IdsOf(events, "environment");
        var deploymentIds = IdsOf(events, "deployment");
        var deployments = await db.Deployments.AsNoTracking().Where(d => deploymentIds.Contains(d.Id))
            .Select(d => new { d.Id, d.EnvironmentId, d.Revision }).ToListAsync(ct);
        environmentIds.AddRange(deployments.Select(d => d.EnvironmentId));
        var environments = await db.Environments.AsNoTracking().Where(e => environmentIds.Contains(e.Id))
            .Join(db.Applications, e => e.ApplicationId, a => a.Id, (e, a) => new { e.Id, App = a.Name, Env = e.Name })
            .ToDictionaryAsync(e => e.Id, e => (App: e.App.Value, Env: e.Env.Value), ct);
        var revisions = deployments.ToDictionary(d => d.Id, d => (d.EnvironmentId, d.Revision));

        var named = new Dictionary<long, Target>();
        foreach (var e in events)
        {
            var id = Guid.TryParse(e.TargetId, out var parsed) ? parsed : Guid.Empty;
            named[e.Sequence] = e.TargetType switch
            {
                "environment" when environments.TryGetValue(id, out var env) => new($"{env.App} / {env.Env}", Links.Environment(env.App, env.Env)),
                "deployment" when revisions.TryGetValue(id, out var d) && environments.TryGetValue(d.EnvironmentId, out var env) =>
                    new($"{env.App} / {env.Env} #{d.Revision}", Links.Environment(env.App, env.Env)),
                "application" when e.App?.Name is { } app => new(app, Links.App(app)),
                "team" when e.Team?.Name is { } team => new(team, Links.Team(team)),
                _ => new($"{e.TargetType} {Short(e.TargetId)}".TrimEnd(), null),
            };
        }
        return named;
    }

    private static List<Guid> IdsOf(IEnumerable<AuditEventView> events, string type) =>
        events.Where(e => e.TargetType == type && Guid.TryParse(e.TargetId, out _)).Select(e => Guid.Parse(e.TargetId!)).Distinct().ToList();

    /// <summary>A removed thing keeps its id; eight characters are enough to tell events apart by eye.</summary>
    private static string Short(string? id) => id is { Length: > 8 } && Guid.TryParse(id, out _) ? id[..8] : id ?? "";
}
