using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Applications;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;
using EnvironmentName = Paddock.Domain.Names.EnvironmentName;
using Paddock.Domain.Secrets;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Resources;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Teams;
using Paddock.Portal.Features.Workloads;
using Paddock.Runtime.Backends;

namespace Paddock.Portal.Features.Environments;

/// <summary>Creating, reading, changing and deleting an application's environments, for the API and the UI.</summary>
public sealed class EnvironmentService(
    PaddockDbContext db, AccessQueries access, AuditLog audit, SecretStore secrets, RegistryCredentialStore registries,
    BackendRegistry backends, DeploymentQueue deployments, RegistryPolicy registryPolicy, TimeProvider clock, WorkloadRevisions revisions,
    ResourceQuotas resourceQuotas, Sources.SourceEditGuard sourceGuard, EnvironmentCopySources copySources)
{
    public async Task<Outcome<IReadOnlyList<EnvironmentView>>> ListAsync(Caller caller, string appName, CancellationToken ct)
    {
        var (app, _) = await access.AppAsync(caller.Actor, appName, ct);
        if (app is null) return Failure.NotFound($"Application '{appName}'");
        var environments = await db.Environments.AsNoTracking()
            .Where(e => e.ApplicationId == app.Id && e.DeletedAt == null)
            .OrderBy(e => e.Name)
            .ToListAsync(ct);
        var latest = await secrets.LatestAsync(app.Id, ct);
        var registry = await registries.LevelsAsync(app.Id, ct);
        var numbers = await revisions.NumbersAsync(app.Id, environments, ct);
        return environments.Select(env => numbers.On(EnvironmentView.Of(app, env, latest, registry))).ToList();
    }

    public async Task<Outcome<Tagged<EnvironmentView>>> GetAsync(Caller caller, string appName, string envName, CancellationToken ct)
    {
        var (app, env, _) = await FindAsync(caller, appName, envName, ct);
        if (app is null || env is null) return NotFound(appName, envName, app);
        var numbers = await revisions.NumbersAsync(app.Id, [env], ct);
        return Tag(env, numbers.On(EnvironmentView.Of(app, env, await secrets.LatestAsync(app.Id, ct), await registries.LevelsAsync(app.Id, ct))));
    }

    /// <param name="deployFirst">False for an environment whose first deployment is a plan applied right after (a catalog
    /// install): it is created with nothing queued.</param>
    public async Task<Outcome<Tagged<EnvironmentView>>> CreateAsync(
        Caller caller, string appName, CreateEnvironmentRequest request, CancellationToken ct, bool deployFirst = true)
    {
        var (app, appAccess) = await access.AppAsync(caller.Actor, appName, ct);
        if (app is null) return Failure.NotFound($"Application '{appName}'");
        if (appAccess < TeamAccess.Manage)
            return Failure.Forbidden($"Creating environments of '{app.Name}' needs the member or owner role in its team.");

        var errors = new FieldErrors();
        errors.Add("name", EnvironmentName.Check(request.Name) ?? ResourceName.Check(app.Name, EnvironmentName.FromTrusted(request.Name!)));
        // A cluster registered through another portal a moment ago may not have reached this one's registry yet.
        if (!string.IsNullOrEmpty(request.Backend) && backends.Find(request.Backend) is null) await backends.RefreshClustersAsync(ct);
        var backend = string.IsNullOrEmpty(request.Backend) ? null : backends.Find(request.Backend)?.Name;
        if (backend is null)
            errors.Add("backend", $"{(string.IsNullOrEmpty(request.Backend) ? "Required" : $"Unknown backend '{request.Backend}'")}; known backends: {string.Join(", ", backends.Names)}.");
        var settings = EnvironmentSettings.From(request);
        settings.Validate(errors);
        errors.AddAll(VariableName.CheckAll(request.Secrets!, "secrets"));
        VariableBudget.Check(errors, settings.Env, VariableBudget.After(new Dictionary<string, int>(), request.Secrets));
        request.RegistryCredentials?.Validate(errors);
        await registryPolicy.CheckAsync(app.TeamId, request.Image, errors, ct);
        if (errors.Any) return errors.ToFailure();

        var name = EnvironmentName.Parse(request.Name!);
        if (await TakenAsync(app, name, ct) is { } taken) return taken;

        var now = clock.GetUtcNow().UtcDateTime;
        var env = new AppEnvironment(app, name, default, backend!, caller.Actor.Name, now);
        settings.ApplyTo(env);
        db.Environments.Add(env);
        var latest = await secrets.StageChangesAsync(app.Id, env.Id, request.Secrets, caller.Actor.Name, now, ct);
        var ownRegistry = request.RegistryCredentials is null ? null
            : await registries.StageAsync(app.Id, env.Id, request.RegistryCredentials, caller.Actor.Name, now, ct);
        var view = EnvironmentView.Of(app, env, latest, (await registries.LevelsAsync(app.Id, ct)).With(env.Id, ownRegistry));
        Guid? queued;
        try
        {
            // A new environment deploys at once: its first deployment is queued in the same transaction.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            var (revision, workload, revisionCreated) = await revisions.EnsureStoredAsync(app, caller, now, ct);
            var snapshot = deployFirst ? await deployments.SnapshotAsync(app, env, workload, ct) : null;
            if (request.CopyFrom is { } copyFrom)
            {
                var (copies, copyErrors) = await copySources.ResolveAsync(app, copyFrom, snapshot?.Resources ?? [], ct);
                if (copyErrors.Any)
                {
                    db.ChangeTracker.Clear();   // the transaction rolls back: nothing of the environment stays
                    return copyErrors.ToUnprocessable();
                }
                if (snapshot is not null) snapshot = snapshot with { ResourceCopies = copies };
            }
            // The app's workload may declare resources, which the new environment would get: the team's quota counts them.
            if (snapshot?.Resources is { Count: > 0 } wanted && await resourceQuotas.CheckAsync(app.TeamId, env.Id, wanted, ct) is { } overQuota)
            {
                db.ChangeTracker.Clear();   // the transaction rolls back: nothing of the environment stays
                return Failure.Conflict(overQuota);
            }
            Guid? firstDeploymentId = null;
            if (snapshot is not null)
            {
                var first = await deployments.AddAsync(
                    new NewDeployment(Guid.CreateVersion7(), env, snapshot, caller.Actor)
                    {
                        Message = "First deployment of the new environment.",
                        WorkloadRevisionId = revision.Id,
                    }, now, ct);
                firstDeploymentId = first.Id;
            }
            var entries = new List<Domain.Audit.AuditEntry>();
            if (revisionCreated is not null) entries.Add(revisionCreated);
            entries.Add(caller.Audit("environment.created", "environment", env.Id.ToString(), app.TeamId, app.Id, null, new
            {
                environment = view,
                firstDeploymentId,
                copyFrom = snapshot?.ResourceCopies?.Select(c => new { c.Resource, from = c.FromEnvironment }),
            }));
            await audit.SaveChangesAsync(entries, ct);
            await transaction.CommitAsync(ct);
            queued = firstDeploymentId;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return await TakenAsync(app, name, ct) ?? Failure.Conflict($"Environment '{name}' of '{app.Name}' was created at the same time by someone else.");
        }
        if (queued is { } firstDeployment) await deployments.EnqueueAsync(firstDeployment);
        return Tag(env, view);
    }

    public async Task<Outcome<Tagged<EnvironmentView>>> UpdateAsync(
        Caller caller, string appName, string envName, EnvironmentPatch patch, uint? ifMatch, CancellationToken ct)
    {
        var (app, env, envAccess) = await FindAsync(caller, appName, envName, ct);
        if (app is null || env is null) return NotFound(appName, envName, app);
        if (envAccess < TeamAccess.Manage)
            return Failure.Forbidden($"Changing environments of '{app.Name}' needs the member or owner role in its team.");

        var errors = new FieldErrors();
        if (patch.Name.IsSet && patch.Name.Value != env.Name.Value) errors.Add("name", "An environment cannot be renamed; create a new one.");
        if (patch.Backend.IsSet && !string.Equals(patch.Backend.Value, env.Backend, StringComparison.OrdinalIgnoreCase))
            errors.Add("backend", "An environment cannot move to another backend; create a new one.");
        var current = EnvironmentSettings.From(env);
        var settings = current.With(patch);
        // Image, replicas and variables are the environment's override file: a git-followed environment takes it from git.
        if ((settings.Image != current.Image || settings.Replicas != current.Replicas
                || !settings.Env.Where(v => v.Value is not null).OrderBy(v => v.Key).SequenceEqual(current.Env.OrderBy(v => v.Key)))
            && await sourceGuard.RefusalAsync(caller, env.Id, ct) is { } followsGit)
            return followsGit;
        settings.Validate(errors);
        if (patch.Secrets.IsSet) errors.AddAll(Variables.CheckPatch(patch.Secrets.Value, "secrets"));
        var secretLengths = patch.Secrets is { IsSet: true, Value: null } ? []
            : VariableBudget.After(await secrets.CurrentLengthsAsync(app.Id, env.Id, ct), patch.Secrets.Value);
        VariableBudget.Check(errors, settings.Env, secretLengths);
        patch.RegistryCredentials.Value?.Validate(errors);
        if (patch.Image.IsSet) await registryPolicy.CheckAsync(app.TeamId, patch.Image.Value, errors, ct);
        Domain.Resources.ResourcePolicy? resourcePolicy = null;
        if (patch.ResourcePolicy is { IsSet: true, Value: { } policyText }
            && (!Enum.TryParse<Domain.Resources.ResourcePolicy>(policyText, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(policyText, out _)))
            errors.Add("resourcePolicy", "One of delete, retain or snapshot (null: the stage's default).");
        else if (patch.ResourcePolicy is { IsSet: true, Value: { } valid }) resourcePolicy = Enum.Parse<Domain.Resources.ResourcePolicy>(valid, ignoreCase: true);
        if (errors.Any) return errors.ToFailure();
        if (!ETags.Expect(db, env, ifMatch)) return Failure.PreconditionFailed();

        var latestBefore = await secrets.LatestAsync(app.Id, ct);
        var registryBefore = await registries.LevelsAsync(app.Id, ct);
        var before = EnvironmentView.Of(app, env, latestBefore, registryBefore);
        var now = clock.GetUtcNow().UtcDateTime;
        settings.ApplyTo(env);
        if (patch.SelfHeal.IsSet) env.ChangeSelfHeal(patch.SelfHeal.Value ?? true);
        if (patch.ResourcePolicy.IsSet) env.ChangeResourcePolicy(resourcePolicy);
        var secretChanges = patch.Secrets switch
        {
            { IsSet: false } => null,
            { Value: null } => before.Overrides.Secrets.ToDictionary(s => s.Name, _ => (string?)null),
            { Value: var changes } => changes,
        };
        var latest = await secrets.StageChangesAsync(app.Id, env.Id, secretChanges, caller.Actor.Name, now, ct);
        var registry = patch.RegistryCredentials.IsSet
            ? registryBefore.With(env.Id, await registries.StageAsync(app.Id, env.Id, patch.RegistryCredentials.Value, caller.Actor.Name, now, ct))
            : registryBefore;
        // A secret or credentials change is a change of the environment: it moves the ETag and meets concurrent writers.
        if (db.ChangeTracker.Entries<SecretVersion>().Any(e => e.State == EntityState.Added)
            || db.ChangeTracker.Entries<RegistryCredentialVersion>().Any(e => e.State == EntityState.Added))
            db.Entry(env).State = EntityState.Modified;

        EnvironmentView view;
        try
        {
            // Saved first inside the transaction, so that the pending-changes check reads the new secret versions.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.SaveChangesAsync(ct);
            await deployments.RecheckSyncAsync(app, (await revisions.CurrentAsync(app, ct)).Projection, [env], ct);
            view = EnvironmentView.Of(app, env, latest, registry);
            await audit.SaveChangesAsync(caller.Audit("environment.updated", "environment", env.Id.ToString(), app.TeamId, app.Id, before, view), ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ifMatch is null ? Failure.Conflict("The environment changed while this update ran; try again.") : Failure.PreconditionFailed();
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another update wrote the same secret version number first.
            return Failure.Conflict("The environment changed while this update ran; try again.");
        }
        return Tag(env, (await revisions.NumbersAsync(app.Id, [env], ct)).On(view));
    }

    /// <summary>Starts teardown: the environment shows Deleting until the workers' teardown job has removed what it
    /// runs and marks it deleted (the row stays for history, and the name is free again).</summary>
    public async Task<Outcome<EnvironmentView>> DeleteAsync(Caller caller, string appName, string envName, uint? ifMatch, CancellationToken ct)
    {
        var (app, env, envAccess) = await FindAsync(caller, appName, envName, ct);
        if (app is null || env is null) return NotFound(appName, envName, app);
        if (envAccess < TeamAccess.Manage)
            return Failure.Forbidden($"Deleting environments of '{app.Name}' needs the member or owner role in its team.");
        if (!ETags.Expect(db, env, ifMatch)) return Failure.PreconditionFailed();

        var latest = await secrets.LatestAsync(app.Id, ct);
        var registry = await registries.LevelsAsync(app.Id, ct);
        var before = EnvironmentView.Of(app, env, latest, registry);
        env.BeginDeletion();
        var view = EnvironmentView.Of(app, env, latest, registry);
        try
        {
            await audit.SaveChangesAsync(caller.Audit("environment.deleted", "environment", env.Id.ToString(), app.TeamId, app.Id, before, view), ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ifMatch is null ? Failure.Conflict("The environment changed while it was being deleted; try again.") : Failure.PreconditionFailed();
        }
        await deployments.EnqueueTearDownAsync(env.Id);
        return view;
    }

    private async Task<(Application? App, AppEnvironment? Env, TeamAccess Access)> FindAsync(Caller caller, string appName, string envName, CancellationToken ct)
    {
        var (app, appAccess) = await access.AppAsync(caller.Actor, appName, ct);
        if (app is null) return (null, null, TeamAccess.None);
        var name = EnvironmentName.FromTrusted(envName);
        var env = await db.Environments.FirstOrDefaultAsync(e => e.ApplicationId == app.Id && e.Name == name && e.DeletedAt == null, ct);
        return (app, env, appAccess);
    }

    /// <summary>Why the name cannot be used, or null: taken in this app, or its derived resource name is
    /// another environment's (app <c>a-b</c> env <c>c</c> and app <c>a</c> env <c>b-c</c> both make <c>a-b-c</c>).</summary>
    private async Task<Failure?> TakenAsync(Application app, EnvironmentName name, CancellationToken ct)
    {
        if (await db.Environments.AnyAsync(e => e.ApplicationId == app.Id && e.Name == name && e.DeletedAt == null, ct))
            return Failure.Conflict("name", $"Application '{app.Name}' already has an environment named '{name}'.");
        var resourceName = ResourceName.For(app.Name, name);
        // The other environment may be another team's: say that the name is taken, never by whom.
        return await db.Environments.AnyAsync(e => e.ResourceName == resourceName && e.DeletedAt == null, ct)
            ? Failure.Conflict("name", $"Its resource name '{resourceName}' is already in use; choose another name.")
            : null;
    }

    private static Failure NotFound(string appName, string envName, Application? app) =>
        app is null ? Failure.NotFound($"Application '{appName}'") : Failure.NotFound($"Environment '{envName}' of '{appName}'");

    private Tagged<EnvironmentView> Tag(AppEnvironment env, EnvironmentView view) => new(view, ETags.Format(ETags.VersionOf(db, env)));
}
