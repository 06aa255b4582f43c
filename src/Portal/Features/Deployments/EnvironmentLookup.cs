using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Applications;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;
using EnvironmentName = Paddock.Domain.Names.EnvironmentName;

namespace Paddock.Portal.Features.Deployments;

/// <summary>A live (not yet deleted) environment with its app and the caller's access to their team.</summary>
public sealed record EnvironmentTarget(Application App, AppEnvironment Env, TeamAccess Access);

/// <summary>Finds what deployment, event and log requests are about, answering 404 for what the caller cannot see.</summary>
public sealed class EnvironmentLookup(PaddockDbContext db, AccessQueries access)
{
    public async Task<(EnvironmentTarget? Target, Failure? Failure)> FindAsync(Caller caller, string appName, string envName, CancellationToken ct)
    {
        var (app, appAccess) = await access.AppAsync(caller.Actor, appName, ct);
        if (app is null) return (null, Failure.NotFound($"Application '{appName}'"));
        var name = EnvironmentName.FromTrusted(envName);
        var env = await db.Environments.FirstOrDefaultAsync(e => e.ApplicationId == app.Id && e.Name == name && e.DeletedAt == null, ct);
        return env is null
            ? (null, Failure.NotFound($"Environment '{envName}' of '{appName}'"))
            : (new EnvironmentTarget(app, env, appAccess), null);
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
