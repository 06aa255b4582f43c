using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Applications;
using Paddock.Domain.Audit;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Workloads;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Environments;
using Paddock.Portal.Features.Resources;
using Paddock.Portal.Features.Teams;
using Paddock.Portal.Features.Tickets;
using Paddock.Domain.Tickets;
using Paddock.Workloads;
using Paddock.Workloads.Export;
using Paddock.Workloads.Model;
using Paddock.Workloads.Overrides;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Planning;
using Paddock.Workloads.Source;
using Paddock.Workloads.Validation;

namespace Paddock.Portal.Features.Workloads;

/// <summary>A plan, or why not: a failure, or the errors of the submitted workload (422, each at its place).</summary>
public sealed record PlanOutcome(Outcome<PlanView> Outcome, IReadOnlyList<WorkloadError>? WorkloadErrors = null)
{
    public static implicit operator PlanOutcome(PlanView view) => new(Outcome<PlanView>.Ok(view));
    public static implicit operator PlanOutcome(Failure failure) => new((Outcome<PlanView>)failure);
}

/// <summary>Plans a workload for an environment, shows plans, applies exactly a plan as a deployment, and exports the
/// app's workload. A plan compares what the environment's current deployment runs with what the workload would run
/// there (both drawn the same way, from deployment snapshots); applying it refuses when anything it was planned
/// against moved, and otherwise changes the app's settings, stores the revision and queues the deployment in one
/// transaction, audited.</summary>
public sealed class PlanService(
    PaddockDbContext db, EnvironmentLookup lookup, DeploymentQueue queue, WorkloadRevisions revisions, AuditLog audit,
    SecretStore secrets, RegistryCredentialStore registries, RegistryPolicy registryPolicy, PlanSettings settings, ResourceTypes resourceTypes,
    TimeProvider clock, TicketRegistry tickets, ResourceQuotas resourceQuotas, Sources.SourceEditGuard sourceGuard, PlannedImages plannedImages,
    Paddock.Runtime.Backends.BackendRegistry backends)
{
    public Task<PlanOutcome> PlanAsync(Caller caller, string appName, string envName, string text, CancellationToken ct) =>
        PlanAsync(caller, appName, envName, text, environmentImage: null, ct);

    /// <param name="environmentImage">An image the plan makes the environment's own (a Deploy with another image typed,
    /// <c>?image=</c>): it wins over the workload's and the environment's image, as that Deploy always did.</param>
    public async Task<PlanOutcome> PlanAsync(Caller caller, string appName, string envName, string text, string? environmentImage, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;
        var (app, env, access) = target;
        if (access < TeamAccess.Deploy)
            return Failure.Forbidden($"Planning changes of '{app.Name}' needs the member or owner role in its team, or a deploy-scoped team token.");
        if (environmentImage is not null)
        {
            var imageErrors = new FieldErrors();
            imageErrors.Add("image", ImageReference.Check(environmentImage));
            if (!imageErrors.Any) await registryPolicy.CheckAsync(app.TeamId, environmentImage, imageErrors, ct);
            if (imageErrors.Any) return imageErrors.ToFailure();
        }
        if (env.Status == EnvironmentStatus.Deleting)
            return Failure.Conflict($"Environment '{env.Name}' of '{app.Name}' is being deleted; it cannot be planned.");
        if (await sourceGuard.RefusalAsync(caller, env.Id, ct) is { } followsGit) return followsGit;

        var current = await revisions.CurrentAsync(app, ct);
        if (text.Length == 0) text = current.Text; // no body: the environment's current workload, planned again
        // The workload is the app's, shared by its environments: a new one is an edit of a file that lives in git when
        // any of them follows git.
        if (text != current.Text && await sourceGuard.AppRefusalAsync(caller, app.Id, ct) is { } appFollowsGit) return appFollowsGit;
        var next = await ReadAsync(app, env, current.AppSecretNames, text, ct);
        if (next.Errors.Count > 0) return new PlanOutcome(Failure.Invalid("workload", "The workload is invalid."), next.Errors);
        var (workload, projection, appSettings) = (next.Workload!, next.Projection!, next.Settings!);
        if (await resourceQuotas.CheckAsync(app.TeamId, env.Id, ResourceTypes.SnapshotOf(workload), ct) is { } overQuota)
            return new PlanOutcome(Failure.Invalid("workload", "The workload is invalid."), [new WorkloadError(Pointer.Of("resources"), null, overQuota)]);
        if (await resourceTypes.RouteConflictsAsync(workload, env.Id, ct) is { Count: > 0 } routeConflicts)
            return new PlanOutcome(Failure.Invalid("workload", "The workload is invalid."), routeConflicts);

        var pinned = await queue.PinnedSecretsAsync(app.Id, env.Id, ct);
        var registry = await db.CurrentRegistryCredentialsAsync(app.Id, env.Id, ct);
        var wouldRun = DeploymentQueue.WithResourcesOf(DeploymentSnapshot.Of(AppWith(app, appSettings, projection.Sidecars), env, pinned,
            imageOverride: environmentImage, registry: registry), projection);
        var runs = env.CurrentDeploymentId is { } runningId
            ? await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == runningId, ct)
            : null;
        var runningShape = runs?.WorkloadRevisionId is { } revisionId && await revisions.FindAsync(revisionId, ct) is { } ran
            && revisions.Parse(ran.Text) is { } ranWorkload
            ? WorkloadShape.Of(ranWorkload, app.Name.Value)
            : current.Shape(app.Name.Value);
        var nextShape = WorkloadShape.Of(workload, app.Name.Value);
        var plan = WorkloadPlanner.Plan(
            runs is null ? null : Effective(runs.Snapshot, runningShape),
            Effective(wouldRun, nextShape));
        var images = await plannedImages.ResolveAsync(env, wouldRun, nextShape.ContainerName, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        var entries = new List<AuditEntry>();
        // When the app's settings say something no stored revision says, they become its next revision, so the plan
        // has a revision to stand on and the history shows where the workload came from.
        var (baseRevision, _, revisionCreated) = await revisions.EnsureStoredAsync(app, caller, now, ct);
        if (revisionCreated is not null) entries.Add(revisionCreated);
        var planBase = new PlanBase(baseRevision.Id, baseRevision.Number, baseRevision.ContentHash,
            SettingsHash(DeploymentSnapshot.Of(app, env, pinned, registry: registry)), env.CurrentDeploymentId, env.LastRevision);
        var stored = new DeploymentPlan(app.Id, env.Id, text, CanonicalWorkload.ContentHash(workload), plan.Summary, PlanItems.Of(plan, images, environmentImage).Write(),
            ImagesText(images, env.Name.Value, environmentImage) + PlanText.Render(plan), planBase, caller.Actor.Id, caller.Actor.Name, now, now + settings.Lifetime);
        db.DeploymentPlans.Add(stored);
        var view = PlanView.Of(stored, app.Name.Value, env.Name.Value, now);
        entries.Add(caller.Audit("plan.created", "plan", stored.Id.ToString(), app.TeamId, app.Id, null, AuditView(view)));
        try
        {
            await audit.SaveChangesAsync(entries, ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Failure.Conflict($"Another change of '{app.Name}''s workload was recorded at the same moment; plan again.");
        }
        return view;
    }

    public async Task<Outcome<PlanView>> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var plan = await db.DeploymentPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null) return Failure.NotFound("The plan");
        var (target, _) = await lookup.FindAsync(caller, plan.ApplicationId, plan.EnvironmentId, ct);
        if (target is null) return Failure.NotFound("The plan");
        return PlanView.Of(plan, target.App.Name.Value, target.Env.Name.Value, clock.GetUtcNow().UtcDateTime);
    }

    /// <summary>Plans the text of an earlier plan again (the UI's "plan again" after a refused or expired apply).</summary>
    public async Task<PlanOutcome> ReplanAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var plan = await db.DeploymentPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null) return Failure.NotFound("The plan");
        var (target, _) = await lookup.FindAsync(caller, plan.ApplicationId, plan.EnvironmentId, ct);
        if (target is null) return Failure.NotFound("The plan");
        return await PlanAsync(caller, target.App.Name.Value, target.Env.Name.Value, plan.WorkloadText, ct);
    }

    public Task<Outcome<DeploymentView>> ApplyAsync(Caller caller, Guid id, CancellationToken ct) => ApplyAsync(caller, id, ApplyNote.None, ct);

    /// <summary>Applies exactly the plan, or refuses with what moved since it was made (409, audited) and changes nothing.
    /// <paramref name="note"/>'s tickets and message go on the deployment.</summary>
    public async Task<Outcome<DeploymentView>> ApplyAsync(Caller caller, Guid id, ApplyNote note, CancellationToken ct)
    {
        // The workers write the environment's row as its deployments move on (a first deployment finishing, say). Such
        // a write between this apply's reads and its commit is no reason to refuse: every check runs again, once, on
        // fresh rows, and a change that does matter is then refused by name.
        var trackedBefore = db.ChangeTracker.Entries().Select(e => e.Entity).ToHashSet(ReferenceEqualityComparer.Instance);
        try
        {
            return await ApplyOnceAsync(caller, id, note, ct);
        }
        catch (RowsMovedMeanwhile)
        {
            // What the attempt read or made is forgotten, so the second reads fresh rows; what the caller tracked
            // before (the git follower's source) stays as the caller left it.
            foreach (var entry in db.ChangeTracker.Entries().Where(e => !trackedBefore.Contains(e.Entity)).ToList())
                entry.State = EntityState.Detached;
        }
        try
        {
            return await ApplyOnceAsync(caller, id, note, ct);
        }
        catch (RowsMovedMeanwhile)
        {
            return Failure.Conflict($"Plan {id}'s environment changed twice while it was being applied; apply it again.");
        }
    }

    private sealed class RowsMovedMeanwhile : Exception;

    private async Task<Outcome<DeploymentView>> ApplyOnceAsync(Caller caller, Guid id, ApplyNote note, CancellationToken ct)
    {
        var noteErrors = new FieldErrors();
        note.Validate(noteErrors);
        if (noteErrors.Any) return noteErrors.ToFailure();
        var plan = await db.DeploymentPlans.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (plan is null) return Failure.NotFound("The plan");
        var (target, _) = await lookup.FindAsync(caller, plan.ApplicationId, plan.EnvironmentId, ct);
        if (target is null) return Failure.NotFound("The plan");
        var (app, env, access) = target;
        if (access < TeamAccess.Deploy)
            return Failure.Forbidden($"Applying plans of '{app.Name}' needs the member or owner role in its team, or a deploy-scoped team token.");

        var now = clock.GetUtcNow().UtcDateTime;
        var current = await revisions.CurrentAsync(app, ct);
        var pinned = await queue.PinnedSecretsAsync(app.Id, env.Id, ct);
        var registry = await db.CurrentRegistryCredentialsAsync(app.Id, env.Id, ct);
        var refusal = Refusal(plan, app, env, current, SettingsHash(DeploymentSnapshot.Of(app, env, pinned, registry: registry)), now);
        var next = refusal is null ? await ReadAsync(app, env, current.AppSecretNames, plan.WorkloadText, ct) : null;
        if (next is { Errors.Count: > 0 })
            refusal = "The workload is no longer accepted: " + string.Join(" ", next.Errors.Select(e => e.ToString()));
        if (next is { Workload: { } quotaWorkload })
            refusal ??= await resourceQuotas.CheckAsync(app.TeamId, env.Id, ResourceTypes.SnapshotOf(quotaWorkload), ct);
        var items = PlanItems.Read(plan.Items);
        var planned = items.Images ?? [];
        var mainContainer = next?.Workload is { } nextWorkload ? WorkloadShape.Of(nextWorkload, app.Name.Value).ContainerName : "";
        if (refusal is null && planned.Any(p => p.Digest is not null))
        {
            // The same would-run snapshot the plan resolved; its images only may have moved since (a re-pushed tag).
            var wouldRun = DeploymentSnapshot.Of(AppWith(app, next!.Settings!, next.Projection!.Sidecars), env, pinned,
                imageOverride: items.EnvironmentImage, registry: registry);
            if (PlannedImages.Moved(planned, await plannedImages.ResolveAsync(env, wouldRun, mainContainer, ct)) is { } moved)
                refusal = $"Plan {plan.Id} is out of date: {moved}. Nothing was changed; make a new plan.";
        }
        if (refusal is not null)
        {
            await audit.SaveChangesAsync(caller.Audit("plan.apply_refused", "plan", plan.Id.ToString(), app.TeamId, app.Id, null,
                new { planId = plan.Id, reason = refusal }), ct);
            return Failure.Conflict(refusal);
        }
        if (UnconfirmedDataLoss(plan, note) is { Count: > 0 } unconfirmed)
            return Failure.Unprocessable("confirmDataLoss", $"Applying this plan deletes the data of {string.Join(", ", unconfirmed)}; " +
                $"name {(unconfirmed.Count == 1 ? "it" : "each")} in confirmDataLoss to apply it anyway.");

        return await queue.HandOverWhileAsync<Outcome<DeploymentView>>(async deploymentId =>
        {
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var entries = new List<AuditEntry>();
                var revision = current.Stored is { } stored && stored.ContentHash == plan.ContentHash ? stored : null;
                if (revision is null)
                {
                    revision = new WorkloadRevision(app.Id, current.Stored is null ? current.Number : current.Number + 1, RevisionOrigin.Submitted,
                        plan.WorkloadText, plan.ContentHash, caller.Actor.Id, caller.Actor.Name, now);
                    db.WorkloadRevisions.Add(revision);
                    entries.Add(caller.Audit("workload.revision_created", "workload_revision", revision.Id.ToString(), app.TeamId, app.Id, null,
                        WorkloadRevisions.AuditView(revision)));
                }
                if (next!.Projection!.Key != current.Projection.Key)
                {
                    // The same change the app's form or PATCH makes, with the same audit entry, so all three agree.
                    var team = (await db.Teams.Where(t => t.Id == app.TeamId).Select(t => t.Name).FirstAsync(ct)).Value;
                    var latestSecrets = SecretStore.CurrentAt(await secrets.LatestAsync(app.Id, ct), null);
                    var registryView = await registries.CurrentAtAsync(app.Id, null, ct);
                    var before = AppView.Of(app, team, latestSecrets, registryView);
                    next.Settings!.ApplyTo(app);
                    app.Sidecars = next.Projection.Sidecars.ToList();
                    entries.Add(caller.Audit("app.updated", "application", app.Id.ToString(), app.TeamId, app.Id, before,
                        AppView.Of(app, team, latestSecrets, registryView)));
                    await db.SaveChangesAsync(ct);
                    var others = await db.Environments
                        .Where(e => e.ApplicationId == app.Id && e.Id != env.Id && e.DeletedAt == null && e.CurrentDeploymentId != null).ToListAsync(ct);
                    await queue.RecheckSyncAsync(app, next.Projection, others, ct);
                }
                if (items.EnvironmentImage is { } image && env.ImageOver(app.Image) is var imageBefore && env.AdoptImage(image, app.Image))
                {
                    // The same change and audit entry as a deployment of a typed image always made.
                    entries.Add(caller.Audit("environment.image_changed", "environment", env.Id.ToString(), app.TeamId, app.Id,
                        new { image = imageBefore }, new { image, planId = plan.Id }));
                    await db.SaveChangesAsync(ct);
                }
                // Exactly the content the plan showed, even if a tag moves before the workers pull it.
                var snapshot = PlannedImages.Pin(await queue.SnapshotAsync(app, env, next.Projection, ct), planned, mainContainer);
                var carried = TicketFacts.Merge((note.Tickets ?? []).Select(k => new TicketFacts(k)));
                await tickets.RecordAsync(app.TeamId, carried, "deployment", ct);
                var deployment = await queue.AddAsync(new NewDeployment(deploymentId, env, snapshot, caller.Actor)
                {
                    Tickets = carried.Select(t => t.Key).ToArray(),
                    Message = string.IsNullOrWhiteSpace(note.Message) ? $"Applies plan {plan.Id} ({plan.Summary})." : note.Message,
                }, now, ct);
                deployment.AppliesPlan(plan.Id, revision.Id);
                plan.Applied(deployment.Id, revision.Id, now);
                var view = DeploymentView.Of(deployment, app.Name.Value, env.Name.Value);
                entries.Add(caller.Audit("plan.applied", "plan", plan.Id.ToString(), app.TeamId, app.Id, null,
                    new { planId = plan.Id, plan.Summary, plan.ContentHash, revision = revision.Number, deploymentId = deployment.Id }));
                entries.Add(caller.Audit("deployment.queued", "deployment", deployment.Id.ToString(), app.TeamId, app.Id, null, view));
                await audit.SaveChangesAsync(entries, ct);
                await transaction.CommitAsync(ct);
                return view;
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || e.IsUniqueViolation())
            {
                throw new RowsMovedMeanwhile();
            }
        });
    }

    /// <summary>The Score file of the workload revision the environment's current deployment runs (the app's current
    /// one when it runs none, or one from before revisions were recorded), canonical. With the environment's override
    /// file (<see cref="OverrideService"/>) it reproduces the environment: re-planning both changes nothing that the
    /// environment's current deployment runs.</summary>
    public async Task<Outcome<ExportedWorkload>> ExportAsync(Caller caller, string appName, string envName, bool asJson, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;
        if (await RunningRevisionAsync(target.Env, ct) is { } running && revisions.Parse(running.Text) is { } runs)
            return new ExportedWorkload(asJson ? WorkloadExport.ToJson(runs) : WorkloadExport.ToYaml(runs), running.Number, running.ContentHash, true);
        var current = await revisions.CurrentAsync(target.App, ct);
        return new ExportedWorkload(
            asJson ? WorkloadExport.ToJson(current.Workload) : WorkloadExport.ToYaml(current.Workload),
            current.Number, current.ContentHash, current.Stored is not null);
    }

    private async Task<WorkloadRevision?> RunningRevisionAsync(AppEnvironment env, CancellationToken ct)
    {
        if (env.CurrentDeploymentId is not { } deploymentId) return null;
        var revisionId = await db.Deployments.Where(d => d.Id == deploymentId).Select(d => d.WorkloadRevisionId).FirstOrDefaultAsync(ct);
        return revisionId is { } id ? await revisions.FindAsync(id, ct) : null;
    }

    /// <summary>Why the plan cannot be applied now, or null.</summary>
    private static string? Refusal(DeploymentPlan plan, Application app, AppEnvironment env, CurrentWorkload current, string settingsHash, DateTime now)
    {
        if (plan.IsApplied) return $"Plan {plan.Id} was already applied as deployment {plan.DeploymentId}; make a new plan.";
        if (plan.HasExpired(now)) return $"Plan {plan.Id} expired at {plan.ExpiresAt:O}; make a new plan.";
        if (env.Status == EnvironmentStatus.Deleting) return $"Environment '{env.Name}' of '{app.Name}' is being deleted.";
        var moved = new List<string>();
        var revisionMoved = current.ContentHash != plan.Base.RevisionHash;
        if (revisionMoved)
            moved.Add($"the application's workload changed (it was revision {plan.Base.RevisionNumber}; its settings or revisions changed since)");
        else if (settingsHash != plan.Base.SettingsHash)
            moved.Add($"the environment's settings changed (its overrides, secrets or registry credentials)");
        if (env.CurrentDeploymentId != plan.Base.CurrentDeploymentId)
            moved.Add($"what runs changed (the current deployment was {Describe(plan.Base.CurrentDeploymentId)}, now {Describe(env.CurrentDeploymentId)})");
        if (env.LastRevision != plan.Base.LastDeploymentRevision)
            moved.Add($"another deployment was queued (revision {env.LastRevision})");
        return moved.Count == 0 ? null
            : $"Plan {plan.Id} is out of date: {string.Join("; ", moved)}. Nothing was changed; make a new plan.";
    }

    /// <summary>The plan's resources whose data is lost (stateful ones deleted or replaced) that the note does not name.</summary>
    private static List<string> UnconfirmedDataLoss(DeploymentPlan plan, ApplyNote note) =>
        PlanItems.Read(plan.Items).Resources.Where(r => r.DataLoss).Select(r => r.Name)
            .Except(note.ConfirmDataLoss ?? [], StringComparer.Ordinal).ToList();

    private static string Describe(Guid? deploymentId) => deploymentId?.ToString() ?? "none";

    private sealed record ReadWorkload(Workload? Workload, WorkloadProjection? Projection, AppSettings? Settings, IReadOnlyList<WorkloadError> Errors);

    /// <summary>The workload checked the way the app's settings are (same rules, same registry policy) and against
    /// what the environment's backend can run, each error placed in the file.</summary>
    private async Task<ReadWorkload> ReadAsync(Application app, AppEnvironment env, IReadOnlyList<string> appSecretNames, string text, CancellationToken ct)
    {
        var load = WorkloadLoader.Load(text, resourceTypes.Rules);
        if (load.Workload is not { } workload) return new ReadWorkload(null, null, null, load.Errors);
        var resourceErrors = await resourceTypes.CheckAsync(workload, load.Source, ct);
        if (resourceErrors.Count > 0) return new ReadWorkload(null, null, null, resourceErrors);
        var (projection, errors) = WorkloadProjection.Read(workload, load.Source, appSecretNames);
        if (projection is null) return new ReadWorkload(null, null, null, errors);
        if (backends.Find(env.Backend)?.VolumeSubPathRefusal is { } noSubPaths && projection.Volumes.Any(v => v.Path is not null))
        {
            var main = WorkloadShape.Of(workload, app.Name.Value).ContainerName;
            return new ReadWorkload(null, null, null, projection.Volumes.Where(v => v.Path is not null)
                .Select(v => load.Source!.Error(Pointer.Of("containers", v.Container ?? main, "volumes", v.Target, "path"), noSubPaths)).ToList());
        }

        var appSettings = AppSettings.From(app) with
        {
            Image = projection.Image,
            Port = projection.Port,
            Command = projection.Command?.ToArray(),
            Env = projection.Variables.ToDictionary(v => v.Key, v => (string?)v.Value),
            HealthCheck = new HealthCheckRequest(projection.HealthCheck.ToString(), projection.HealthCheckPath,
                app.HealthCheck.IntervalSeconds, app.HealthCheck.TimeoutSeconds),
            Limits = new LimitsRequest(projection.Limits.CpuMillicores, projection.Limits.MemoryMiB),
        };
        var fieldErrors = new FieldErrors();
        appSettings.Validate(fieldErrors);
        await registryPolicy.CheckAsync(app.TeamId, projection.Image, fieldErrors, ct);
        var sidecarErrors = new List<WorkloadError>();
        foreach (var sidecar in projection.Sidecars)
        {
            // The same rules as the main container's image and limits, each error at that container.
            var sidecarFields = new FieldErrors();
            await registryPolicy.CheckAsync(app.TeamId, sidecar.Image, sidecarFields, ct);
            if (sidecar.Limits.Check() is { } limitsError) sidecarFields.Add("limits", limitsError);
            if (sidecarFields.Any)
                sidecarErrors.AddRange(sidecarFields.ToFailure().Errors!.SelectMany(e => e.Value.Select(message => load.Source!.Error(
                    e.Key == "limits" ? Pointer.Of("containers", sidecar.Name, "resources", "limits") : Pointer.Of("containers", sidecar.Name, "image"), message))));
        }
        if (!fieldErrors.Any && sidecarErrors.Count == 0) return new ReadWorkload(workload, projection, appSettings, []);
        var shape = WorkloadShape.Of(workload, app.Name.Value);
        return new ReadWorkload(null, null, null, fieldErrors.ToFailure().Errors!
            .SelectMany(e => e.Value.Select(message => load.Source!.Error(WorkloadProjection.PointerOf(e.Key, shape), message)))
            .Concat(sidecarErrors)
            .ToList());
    }

    /// <summary>A detached copy of the app with other settings, to draw what a deployment of them would be.</summary>
    private static Application AppWith(Application app, AppSettings appSettings, IReadOnlyList<SidecarContainer> sidecars)
    {
        var copy = new Application(app.Name, app.TeamId, app.Image, app.Port, app.CreatedAt);
        appSettings.ApplyTo(copy);
        copy.Sidecars = sidecars.ToList();
        return copy;
    }

    /// <summary>What a deployment snapshot runs, as an effective workload. Secrets are compared by the version a
    /// deployment pins (never by value, which is never read here), so a plan says "changed" exactly when a new version
    /// would reach the container.</summary>
    private static EffectiveWorkload Effective(DeploymentSnapshot snapshot, WorkloadShape shape)
    {
        var workload = WorkloadProjection.Of(snapshot).ToWorkload(shape);
        var values = new EnvironmentValues(new Dictionary<string, string>(),
            snapshot.Secrets.ToDictionary(s => s.Name, s => $"version {s.SecretVersionId}", StringComparer.Ordinal));
        var built = EffectiveWorkload.Build(workload, new WorkloadOverride(snapshot.Replicas, new Dictionary<string, ContainerOverride>()),
            ResourceOutputs.For(workload, values, unprovisionedAreKnownAfterApply: true));
        return built.Effective ?? throw new InvalidOperationException(
            "A workload drawn from a deployment snapshot did not resolve: " + string.Join("; ", built.Errors));
    }

    private static readonly JsonSerializerOptions SnapshotJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>A fingerprint of everything a deployment of the environment would carry now.</summary>
    private static string SettingsHash(DeploymentSnapshot snapshot) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(snapshot, SnapshotJson))));

    /// <summary>The plan without its text (the items already say it).</summary>
    private static object AuditView(PlanView view) =>
        new { view.Id, view.Environment, view.ContentHash, view.Summary, view.WorkloadChanges, view.Containers, view.Resources, view.Images, view.EnvironmentImage, view.BaseRevision, view.ExpiresAt };

    /// <summary>The images the plan runs, above what it changes (like Terraform's data sources read before the plan).</summary>
    private static string ImagesText(IReadOnlyList<PlannedImage> images, string env, string? environmentImage) =>
        (environmentImage is null ? "" : $"  ~ environment {env}: its own image becomes {environmentImage}\n")
        + (images.Count == 0 ? "" : string.Concat(images.Select(i => $"  = {i.Describe()}\n")))
        + (environmentImage is null && images.Count == 0 ? "" : "\n");
}

/// <summary>A workload file and which revision it is (<paramref name="Stored"/> false: drawn from the app's settings,
/// to be stored as that revision by the next plan).</summary>
public sealed record ExportedWorkload(string Text, int Revision, string ContentHash, bool Stored);
