using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Deployments;
using Paddock.Persistence;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Environments;
using Paddock.Portal.Features.Teams;

namespace Paddock.Portal.Components.Pages.Dashboard;

public sealed record LastDeployment(int Revision, string Image, string By, DeploymentStatus Status, DateTime QueuedAt);

public sealed record DashboardEnvironment(EnvironmentView Environment, LastDeployment? Last);

public sealed record DashboardApp(AppView App, IReadOnlyList<DashboardEnvironment> Environments);

public sealed record DashboardTeam(TeamView Team, IReadOnlyList<DashboardApp> Apps);

/// <summary>Everything the dashboard shows, read through the same services as the API.</summary>
public static class DashboardQueries
{
    public static async Task<Outcome<IReadOnlyList<DashboardTeam>>> LoadAsync(IServiceProvider services, Caller caller, CancellationToken ct)
    {
        var teams = await services.GetRequiredService<TeamService>().ListAsync(caller, ct);
        if (!teams.IsOk) return new Failure(teams.Kind, teams.Message, teams.Errors);
        var apps = await services.GetRequiredService<ApplicationService>().ListAsync(caller, null, ct);
        if (!apps.IsOk) return new Failure(apps.Kind, apps.Message, apps.Errors);

        var environments = services.GetRequiredService<EnvironmentService>();
        var byApp = new Dictionary<Guid, IReadOnlyList<EnvironmentView>>();
        foreach (var app in apps.Value!)
        {
            var list = await environments.ListAsync(caller, app.Name, ct);
            byApp[app.Id] = list.Value ?? [];
        }
        var last = await LastDeploymentsAsync(services.GetRequiredService<PaddockDbContext>(),
            byApp.Values.SelectMany(e => e).Select(e => e.Id).ToList(), ct);

        return teams.Value!.Select(team => new DashboardTeam(team, apps.Value!
                .Where(a => a.Team == team.Name)
                .Select(a => new DashboardApp(a, byApp[a.Id].Select(e => new DashboardEnvironment(e, last.GetValueOrDefault(e.Id))).ToList()))
                .ToList()))
            .ToList();
    }

    /// <summary>The newest deployment of each environment (the ids are ones the caller may see).</summary>
    public static async Task<Dictionary<Guid, LastDeployment>> LastDeploymentsAsync(PaddockDbContext db, List<Guid> environmentIds, CancellationToken ct)
    {
        if (environmentIds.Count == 0) return [];
        var rows = await db.Deployments.AsNoTracking()
            .Where(d => environmentIds.Contains(d.EnvironmentId))
            .GroupBy(d => d.EnvironmentId)
            .Select(g => g.OrderByDescending(d => d.Revision).First())
            .ToListAsync(ct);
        return rows.ToDictionary(d => d.EnvironmentId, d => new LastDeployment(d.Revision, d.Image, d.TriggeredByName, d.Status, d.QueuedAt));
    }
}
