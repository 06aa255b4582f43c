using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Applications;
using Paddock.Domain.Names;
using Paddock.Domain.Secrets;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Teams;
using Paddock.Portal.Features.Workloads;
using Paddock.Domain.Audit;

namespace Paddock.Portal.Features.Applications;

/// <summary>Creating, reading, changing and retiring applications, for the API and the UI alike.</summary>
public sealed class ApplicationService(
    PaddockDbContext db, AccessQueries access, AuditLog audit, SecretStore secrets, RegistryCredentialStore registries,
    DeploymentQueue deployments, RegistryPolicy registryPolicy, TimeProvider clock, WorkloadRevisions revisions, Sources.SourceEditGuard sourceGuard)
{
    public async Task<Outcome<IReadOnlyList<AppView>>> ListAsync(Caller caller, string? team, CancellationToken ct)
    {
        var visible = await access.VisibleTeamIdsAsync(caller.Actor, ct);
        var query = db.Applications.AsNoTracking().Where(a => a.DeletedAt == null);
        if (visible is not null) query = query.Where(a => visible.Contains(a.TeamId));
        var withTeams = query.Join(db.Teams, a => a.TeamId, t => t.Id, (a, t) => new { App = a, Team = t.Name });
        if (!string.IsNullOrEmpty(team)) withTeams = withTeams.Where(r => r.Team == TeamName.FromTrusted(team));
        var rows = await withTeams.OrderBy(r => r.App.Name).ToListAsync(ct);

        var ids = rows.Select(r => r.App.Id).ToList();
        var latest = await secrets.LatestAsync(ids, ct);
        var credentials = await registries.CurrentOfAppsAsync(ids, ct);
        return rows.Select(r => AppView.Of(r.App, r.Team.Value, SecretStore.CurrentAt(latest[r.App.Id], null),
            credentials.GetValueOrDefault(r.App.Id))).ToList();
    }

    public async Task<Outcome<Tagged<AppView>>> GetAsync(Caller caller, string appName, CancellationToken ct)
    {
        var (app, _) = await access.AppAsync(caller.Actor, appName, ct);
        if (app is null) return Failure.NotFound($"Application '{appName}'");
        return Tag(app, await ViewAsync(app, ct));
    }

    public async Task<Outcome<Tagged<AppView>>> CreateAsync(Caller caller, CreateAppRequest request, CancellationToken ct)
    {
        var (team, teamAccess) = string.IsNullOrEmpty(request.Team)
            ? (null, TeamAccess.None)
            : await access.TeamAsync(caller.Actor, request.Team, ct);
        if (team is not null && teamAccess < TeamAccess.Manage)
            return Failure.Forbidden($"Creating applications in team '{team.Name}' needs the member or owner role.");

        var errors = new FieldErrors();
        errors.Add("name", AppName.Check(request.Name));
        if (team is null) errors.Add("team", string.IsNullOrEmpty(request.Team) ? "Required." : "unknown team");
        var settings = AppSettings.From(request);
        settings.Validate(errors);
        errors.AddAll(VariableName.CheckAll(request.Secrets!, "secrets"));
        VariableBudget.Check(errors, settings.Env, VariableBudget.After(new Dictionary<string, int>(), request.Secrets));
        request.RegistryCredentials?.Validate(errors);
        if (team is not null) await registryPolicy.CheckAsync(team.Id, request.Image, errors, ct);
        if (errors.Any) return errors.ToFailure();

        var name = AppName.Parse(request.Name!);
        if (await db.Applications.AnyAsync(a => a.Name == name && a.DeletedAt == null, ct)) return NameTaken(name);

        var now = clock.GetUtcNow().UtcDateTime;
        var app = new Application(name, team!.Id, request.Image!, request.Port!.Value, now);
        settings.ApplyTo(app);
        db.Applications.Add(app);
        var latest = await secrets.StageChangesAsync(app.Id, null, request.Secrets, caller.Actor.Name, now, ct);
        var registry = request.RegistryCredentials is null ? null
            : await registries.StageAsync(app.Id, null, request.RegistryCredentials, caller.Actor.Name, now, ct);
        var view = AppView.Of(app, team.Name.Value, SecretStore.CurrentAt(latest, null), registry);
        try
        {
            // Saved first inside the transaction, so that the app's first workload revision is drawn with its secrets:
            // an app made by the form or the JSON API is a one-container workload too.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            var revisionCreated = (await revisions.EnsureStoredAsync(app, caller, now, ct)).Created;
            await audit.SaveChangesAsync([caller.Audit("app.created", "application", app.Id.ToString(), app.TeamId, app.Id, null, view), .. Recorded(revisionCreated)], ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return NameTaken(name);
        }
        return Tag(app, view);
    }

    public async Task<Outcome<Tagged<AppView>>> UpdateAsync(Caller caller, string appName, AppPatch patch, uint? ifMatch, CancellationToken ct)
    {
        var (app, appAccess) = await access.AppAsync(caller.Actor, appName, ct);
        if (app is null) return Failure.NotFound($"Application '{appName}'");
        if (appAccess < TeamAccess.Manage) return Failure.Forbidden($"Changing application '{app.Name}' needs the member or owner role in its team.");
        var team = await TeamNameAsync(app, ct);

        var errors = new FieldErrors();
        if (patch.Name.IsSet && patch.Name.Value != app.Name.Value) errors.Add("name", "An application cannot be renamed.");
        if (patch.Team.IsSet && patch.Team.Value != team) errors.Add("team", "An application cannot move to another team.");
        var settings = AppSettings.From(app).With(patch);
        if (settings.WorkloadFieldsChangedFrom(AppSettings.From(app)).Count > 0 && await sourceGuard.AppRefusalAsync(caller, app.Id, ct) is { } followsGit)
            return followsGit;
        settings.Validate(errors);
        if (patch.Secrets.IsSet) errors.AddAll(Variables.CheckPatch(patch.Secrets.Value, "secrets"));
        VariableBudget.Check(errors, settings.Env, await SecretLengthsAfterAsync(app.Id, null, patch.Secrets, ct));
        patch.RegistryCredentials.Value?.Validate(errors);
        if (patch.Image.IsSet) await registryPolicy.CheckAsync(app.TeamId, patch.Image.Value, errors, ct);
        if (errors.Any) return errors.ToFailure();
        if (!ETags.Expect(db, app, ifMatch)) return Failure.PreconditionFailed();

        var before = await ViewAsync(app, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        settings.ApplyTo(app);
        var secretChanges = patch.Secrets switch
        {
            { IsSet: false } => null,
            { Value: null } => before.Secrets.ToDictionary(s => s.Name, _ => (string?)null),
            { Value: var changes } => changes,
        };
        var latest = await secrets.StageChangesAsync(app.Id, null, secretChanges, caller.Actor.Name, now, ct);
        var registry = patch.RegistryCredentials.IsSet
            ? await registries.StageAsync(app.Id, null, patch.RegistryCredentials.Value, caller.Actor.Name, now, ct)
            : before.RegistryCredentials;
        // A secret or credentials change is a change of the app: it moves the ETag and meets concurrent writers.
        if (db.ChangeTracker.Entries<SecretVersion>().Any(e => e.State == EntityState.Added)
            || db.ChangeTracker.Entries<RegistryCredentialVersion>().Any(e => e.State == EntityState.Added))
            db.Entry(app).State = EntityState.Modified;

        var view = AppView.Of(app, team, SecretStore.CurrentAt(latest, null), registry);
        try
        {
            // Saved first inside the transaction, so that the pending-changes check of the app's environments
            // reads the new secret versions.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            var environments = await db.Environments.Where(e => e.ApplicationId == app.Id && e.DeletedAt == null && e.CurrentDeploymentId != null).ToListAsync(ct);
            // A change the workload describes (image, port, command, variables, secrets' names, health check, limits)
            // is the workload's next revision, drawn from the settings.
            var (_, workload, revisionCreated) = await revisions.EnsureStoredAsync(app, caller, now, ct);
            await deployments.RecheckSyncAsync(app, workload, environments, ct);
            await audit.SaveChangesAsync([caller.Audit("app.updated", "application", app.Id.ToString(), app.TeamId, app.Id, before, view), .. Recorded(revisionCreated)], ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ifMatch is null ? Failure.Conflict("The application changed while this update ran; try again.") : Failure.PreconditionFailed();
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another update wrote the same secret or credentials version number first.
            return Failure.Conflict("The application changed while this update ran; try again.");
        }
        return Tag(app, view);
    }

    public async Task<Outcome<AppView>> DeleteAsync(Caller caller, string appName, uint? ifMatch, CancellationToken ct)
    {
        var (app, appAccess) = await access.AppAsync(caller.Actor, appName, ct);
        if (app is null) return Failure.NotFound($"Application '{appName}'");
        if (appAccess < TeamAccess.Manage) return Failure.Forbidden($"Deleting application '{app.Name}' needs the member or owner role in its team.");
        if (!ETags.Expect(db, app, ifMatch)) return Failure.PreconditionFailed();
        // Environments already being torn down do not hold the app back: their teardown jobs finish on their own.
        var liveEnvironments = await db.Environments.Where(e => e.ApplicationId == app.Id && e.DeletedAt == null && e.Status != Domain.Environments.EnvironmentStatus.Deleting)
            .Select(e => e.Name).ToListAsync(ct);
        if (liveEnvironments.Count > 0)
            return Failure.Conflict($"Application '{app.Name}' still has environments ({string.Join(", ", liveEnvironments.Select(n => n.Value))}); delete them first.");

        var before = await ViewAsync(app, ct);
        app.MarkDeleted(clock.GetUtcNow().UtcDateTime);
        try
        {
            await audit.SaveChangesAsync(caller.Audit("app.deleted", "application", app.Id.ToString(), app.TeamId, app.Id, before, null), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ifMatch is null ? Failure.Conflict("The application changed while it was being deleted; try again.") : Failure.PreconditionFailed();
        }
        return before;
    }

    private async Task<Dictionary<string, int>> SecretLengthsAfterAsync(
        Guid applicationId, Guid? environmentId, Optional<Dictionary<string, string?>?> patch, CancellationToken ct) => patch switch
    {
        { IsSet: true, Value: null } => [],
        _ => VariableBudget.After(await secrets.CurrentLengthsAsync(applicationId, environmentId, ct), patch.Value),
    };

    private async Task<AppView> ViewAsync(Application app, CancellationToken ct) =>
        AppView.Of(app, await TeamNameAsync(app, ct), SecretStore.CurrentAt(await secrets.LatestAsync(app.Id, ct), null),
            await registries.CurrentAtAsync(app.Id, null, ct));

    private async Task<string> TeamNameAsync(Application app, CancellationToken ct) =>
        (await db.Teams.Where(t => t.Id == app.TeamId).Select(t => t.Name).FirstAsync(ct)).Value;

    private Tagged<AppView> Tag(Application app, AppView view) => new(view, ETags.Format(ETags.VersionOf(db, app)));

    private static IEnumerable<AuditEntry> Recorded(AuditEntry? entry) => entry is null ? [] : [entry];

    private static Failure NameTaken(AppName name) =>
        Failure.Conflict("name", $"An application named '{name}' already exists. Application names are unique across the whole platform, not only within a team.");
}
