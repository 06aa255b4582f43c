using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Applications;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;
using Paddock.Domain.Teams;
using Paddock.Persistence;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;
using EnvironmentName = Paddock.Domain.Names.EnvironmentName;

namespace Paddock.Portal.Features.Environments;

/// <summary>A live (not yet deleted) environment with its app and the caller's access to their team.</summary>
public sealed record EnvironmentTarget(Application App, AppEnvironment Env, TeamAccess Access);

/// <summary>Finds what deployment, event and log requests are about, answering 404 for what the caller cannot see.</summary>
public sealed class EnvironmentLookup(PaddockDbContext db, AccessQueries access)
{
    /// <summary>The app, its environment and the caller's role in its team in one round trip: every deploy, event and
    /// log request starts here (a deploy's first steps are time the user waits).</summary>
    public async Task<(EnvironmentTarget? Target, Failure? Failure)> FindAsync(Caller caller, string appName, string envName, CancellationToken ct)
    {
        var actor = caller.Actor;
        var memberships = access.MembershipsOf(actor);
        var name = EnvironmentName.FromTrusted(envName);
        var found = await db.Applications
            .Where(a => a.Name == AppName.FromTrusted(appName) && a.DeletedAt == null)
            .Select(a => new
            {
                App = a,
                Env = db.Environments.FirstOrDefault(e => e.ApplicationId == a.Id && e.Name == name && e.DeletedAt == null),
                Role = memberships.Where(m => m.TeamId == a.TeamId).Select(m => (TeamRole?)m.Role).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        var appAccess = found is null ? TeamAccess.None : TeamAccessRules.For(actor, found.App.TeamId, found.Role);
        if (appAccess == TeamAccess.None) return (null, Failure.NotFound($"Application '{appName}'"));
        return found!.Env is not { } env
            ? (null, Failure.NotFound($"Environment '{envName}' of '{appName}'"))
            : (new EnvironmentTarget(found.App, env, appAccess), null);
    }

    /// <summary>The environment of a deployment, even one already deleted (its history stays readable).</summary>
    public async Task<(EnvironmentTarget? Target, Failure? Failure)> FindAsync(Caller caller, Guid applicationId, Guid environmentId, CancellationToken ct)
    {
        var app = await db.Applications.FirstOrDefaultAsync(a => a.Id == applicationId, ct);
        var env = await db.Environments.FirstOrDefaultAsync(e => e.Id == environmentId, ct);
        if (app is null || env is null) return (null, Failure.NotFound("The deployment"));
        var teamAccess = await access.AccessToTeamAsync(caller.Actor, app.TeamId, ct);
        return teamAccess == TeamAccess.None ? (null, Failure.NotFound("The deployment")) : (new EnvironmentTarget(app, env, teamAccess), null);
    }
}
