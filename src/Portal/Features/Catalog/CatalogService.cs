using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Catalog;
using Paddock.Domain.Environments;
using Paddock.Domain.Names;
using EnvironmentName = Paddock.Domain.Names.EnvironmentName;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Environments;
using Paddock.Portal.Features.Resources;
using Paddock.Portal.Features.Workloads;
using Paddock.Runtime.Backends;
using Paddock.Workloads;
using Paddock.Workloads.Source;

namespace Paddock.Portal.Features.Catalog;

/// <summary>The plan an install made and, when it was applied at once, its deployment.</summary>
public sealed record InstallResult(PlanView Plan, DeploymentView? Deployment);

/// <summary>An install, or why not: a failure (field errors named <c>team</c>, <c>app</c>, <c>environment</c>,
/// <c>parameters.ID</c>), or the errors of the filled-in workload.</summary>
public sealed record InstallOutcome(Outcome<InstallResult> Outcome, IReadOnlyList<WorkloadError>? WorkloadErrors = null)
{
    public static implicit operator InstallOutcome(InstallResult result) => new(Outcome<InstallResult>.Ok(result));
    public static implicit operator InstallOutcome(Failure failure) => new((Outcome<InstallResult>)failure);
}

/// <summary>
/// Installs catalog entries through the paths every other change takes: the app and the environment are made by
/// their own services (same rules, same audit entries; the environment without a first deployment), generated
/// secrets become app secrets, and the filled-in workload is planned and applied by <see cref="PlanService"/>. An
/// install is recorded per environment (<c>catalog_installs</c>, audited <c>catalog.install_planned</c>); installing
/// again into the same environment is an upgrade, whose plan shows what changes.
/// </summary>
public sealed class CatalogService(
    PaddockDbContext db, CatalogEntries catalog, AccessQueries access, ApplicationService apps, EnvironmentService environments,
    PlanService plans, SecretStore secrets, ResourceTypes resourceTypes, BackendRegistry backends, AuditLog audit, TimeProvider clock)
{
    /// <summary>The built-in entries, the git catalogs' entries, then the git catalogs' broken entry folders (with their problems).</summary>
    public async Task<IReadOnlyList<CatalogEntryView>> ListAsync(CancellationToken ct)
    {
        var listing = await ReadAsync(ct);
        return listing.Entries.Select(e => CatalogEntryView.Of(e)).Concat(listing.Broken.Select(CatalogEntryView.Of)).ToList();
    }

    public async Task<Outcome<CatalogEntryView>> GetAsync(string id, CancellationToken ct)
    {
        var listing = await ReadAsync(ct);
        if (listing.Find(id) is { } entry) return CatalogEntryView.Of(entry, withWorkload: true);
        return listing.FindBroken(id) is { } broken ? CatalogEntryView.Of(broken) : Failure.NotFound($"Catalog entry '{id}'");
    }

    public async Task<string?> IconAsync(string id, CancellationToken ct) => (await ReadAsync(ct)).Find(id)?.IconSvg;

    private Task<CatalogListing> ReadAsync(CancellationToken ct) => catalog.ReadAsync(db, resourceTypes.Rules, ct);

    public async Task<InstallOutcome> InstallAsync(Caller caller, string entryId, InstallRequest request, CancellationToken ct)
    {
        var listing = await ReadAsync(ct);
        if (listing.FindBroken(entryId) is { } broken)
            return Failure.Conflict($"Catalog entry '{entryId}' of the catalog source '{broken.Source}' does not validate and cannot be installed: " +
                string.Join(" ", broken.Problems));
        if (listing.Find(entryId) is not { } entry) return Failure.NotFound($"Catalog entry '{entryId}'");

        var errors = new FieldErrors();
        errors.Add("app", AppName.Check(request.App));
        errors.Add("environment", EnvironmentName.Check(request.Environment));
        var (team, _) = string.IsNullOrEmpty(request.Team) ? (null, default) : await access.TeamAsync(caller.Actor, request.Team, ct);
        if (team is null) errors.Add("team", string.IsNullOrEmpty(request.Team) ? "Required." : $"Unknown team '{request.Team}'.");
        var (app, _) = errors.Has("app") ? (null, default) : await access.AppAsync(caller.Actor, request.App!, ct);
        if (app is not null && team is not null && app.TeamId != team.Id) errors.Add("app", $"Application '{app.Name}' belongs to another team.");
        var envName = errors.Has("environment") ? default : EnvironmentName.FromTrusted(request.Environment!);
        var env = app is null || errors.Has("environment") ? null : await db.Environments.FirstOrDefaultAsync(
            e => e.ApplicationId == app.Id && e.Name == envName && e.DeletedAt == null, ct);
        var previous = env is null ? null : await InstalledAsync(env.Id, ct);
        // An environment that never deployed (an install planned but not applied, or one that failed half-way) is
        // installed into again; one that runs something else is not.
        if (env is not null && previous?.EntryId != entry.Id && !(previous is null && env.LastRevision == 0))
            return Failure.Conflict("environment", previous is null
                ? $"Environment '{env.Name}' of '{app!.Name}' exists and was not installed from the catalog; install into a new environment."
                : $"Environment '{env.Name}' of '{app!.Name}' runs the catalog entry '{previous.EntryId}', not '{entry.Id}'; install into a new environment.");
        var values = CatalogParameters.Resolve(entry, request.Parameters, previous?.Parameters, errors);
        if (errors.Any) return errors.ToFailure();

        var text = CatalogTemplate.Render(entry, values);
        var load = WorkloadLoader.Load(text, resourceTypes.Rules);
        if (!load.IsValid) return new InstallOutcome(Failure.Invalid("workload", $"The workload of '{entry.Id}' is invalid."), load.Errors);
        var generated = entry.Parameters.Where(p => p.GeneratesSecret).Select(p => p.Id).ToList();
        var (projection, projectionErrors) = WorkloadProjection.Read(load.Workload!, load.Source, generated);
        if (projection is null) return new InstallOutcome(Failure.Invalid("workload", $"The workload of '{entry.Id}' is invalid."), projectionErrors);

        if (app is null)
        {
            var created = await apps.CreateAsync(caller, new CreateAppRequest(request.App, request.Team, projection.Image, projection.Port,
                Description: $"{entry.Name} from the catalog.", Secrets: generated.ToDictionary(n => n, _ => (string?)CatalogParameters.GenerateSecret())), ct);
            if (!created.IsOk) return Renamed(created.Kind, created.Message, created.Errors, "name", "app");
            (app, _) = await access.AppAsync(caller.Actor, request.App!, ct);
        }
        else
        {
            // Secrets generated by an earlier install stay: only those the app does not have yet are made.
            var existing = (await secrets.LatestAsync(app.Id, ct)).Where(s => s.EnvironmentId is null && !s.IsRemoved).Select(s => s.Name).ToHashSet();
            var missing = generated.Where(n => !existing.Contains(n)).ToDictionary(n => n, _ => (string?)CatalogParameters.GenerateSecret());
            if (missing.Count > 0)
            {
                var updated = await apps.UpdateAsync(caller, app.Name.Value, new AppPatch { Secrets = missing }, null, ct);
                if (!updated.IsOk) return Renamed(updated.Kind, updated.Message, updated.Errors, "secrets", "parameters");
            }
        }
        if (env is null)
        {
            var backend = string.IsNullOrEmpty(request.Backend) && backends.Names.Contains(BackendRegistry.DefaultName) ? BackendRegistry.DefaultName : request.Backend;
            var created = await environments.CreateAsync(caller, app!.Name.Value,
                new CreateEnvironmentRequest(request.Environment, request.Stage ?? nameof(Stage.Development), backend), ct, deployFirst: false);
            if (!created.IsOk) return Renamed(created.Kind, created.Message, created.Errors, "name", "environment");
        }

        var planned = await plans.PlanAsync(caller, app!.Name.Value, request.Environment!, text, ct);
        if (planned.WorkloadErrors is { } workloadErrors) return new InstallOutcome(Failure.Invalid("workload", $"The workload of '{entry.Id}' is invalid."), workloadErrors);
        if (!planned.Outcome.IsOk) return new InstallOutcome(new Outcome<InstallResult>(planned.Outcome.Kind, null, planned.Outcome.Message, planned.Outcome.Errors));
        var plan = planned.Outcome.Value!;

        var envId = await db.Environments.Where(e => e.ApplicationId == app.Id && e.Name == envName && e.DeletedAt == null)
            .Select(e => e.Id).FirstAsync(ct);
        var install = new CatalogInstall(app.Id, envId, entry.Id, entry.Version.Text, values, plan.Id, caller.Actor.Id, caller.Actor.Name, clock.GetUtcNow().UtcDateTime);
        db.CatalogInstalls.Add(install);
        await audit.SaveChangesAsync(caller.Audit("catalog.install_planned", "catalog_install", install.Id.ToString(), app.TeamId, app.Id, null,
            new { entry = entry.Id, source = entry.Source, version = entry.Version.Text, upgradesFrom = previous?.Version, environment = request.Environment, planId = plan.Id, parameters = values }), ct);

        if (request.Apply != true) return new InstallResult(plan, null);
        var applied = await plans.ApplyAsync(caller, plan.Id, new ApplyNote(Message: $"Installs {entry.Name} {entry.Version} from the catalog."), ct);
        if (!applied.IsOk) return new InstallOutcome(new Outcome<InstallResult>(applied.Kind, null, applied.Message, applied.Errors));
        return new InstallResult(plan, applied.Value);
    }

    /// <summary>What the visible environments of an app run from the catalog, with the catalog's newer version if any.</summary>
    public async Task<Outcome<IReadOnlyList<InstalledEntryView>>> InstalledAsync(Caller caller, string appName, CancellationToken ct)
    {
        var (app, _) = await access.AppAsync(caller.Actor, appName, ct);
        if (app is null) return Failure.NotFound($"Application '{appName}'");
        var envs = await db.Environments.AsNoTracking().Where(e => e.ApplicationId == app.Id && e.DeletedAt == null).ToListAsync(ct);
        var listing = await ReadAsync(ct);
        var views = new List<InstalledEntryView>();
        foreach (var env in envs.OrderBy(e => e.Name.Value, StringComparer.Ordinal))
        {
            if (await InstalledAsync(env.Id, ct) is not { } install) continue;
            var newer = listing.Find(install.EntryId)?.Version is { } latest && latest.IsNewerThan(new CatalogVersion(install.Version)) ? latest.Text : null;
            views.Add(new InstalledEntryView(app.Name.Value, env.Name.Value, install.EntryId, install.Version, newer, install.CreatedAt, install.CreatedByName));
        }
        return views;
    }

    /// <summary>The environment's newest install whose plan was applied: what it runs from the catalog.</summary>
    private Task<CatalogInstall?> InstalledAsync(Guid environmentId, CancellationToken ct) =>
        db.CatalogInstalls.AsNoTracking()
            .Where(i => i.EnvironmentId == environmentId && db.DeploymentPlans.Any(p => p.Id == i.PlanId && p.AppliedAt != null))
            .OrderByDescending(i => i.CreatedAt).FirstOrDefaultAsync(ct);

    /// <summary>A failure of the app's or environment's own service, its field named as the install request names it.</summary>
    private static Failure Renamed(OutcomeKind kind, string? message, IDictionary<string, string[]>? errors, string from, string to) =>
        new(kind, message, errors?.ToDictionary(e => e.Key == from || e.Key.StartsWith(from + ".", StringComparison.Ordinal) ? to + e.Key[from.Length..] : e.Key, e => e.Value));
}
