using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Applications;
using Paddock.Domain.Workloads;
using Paddock.Persistence;
using Paddock.Domain.Audit;
using Paddock.Portal.Api;
using Paddock.Domain.Environments;
using Paddock.Portal.Features.Applications;
using Paddock.Portal.Features.Environments;
using Paddock.Portal.Features.Resources;
using Paddock.Workloads;
using Paddock.Workloads.Export;
using Paddock.Workloads.Model;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Validation;

namespace Paddock.Portal.Features.Workloads;

/// <summary>An application's workload as it is now. <see cref="Stored"/> is null when no stored revision says what
/// the app's settings say (an app made by the form, or changed there since its last revision): then the workload
/// is drawn from the settings and becomes revision <see cref="Number"/> when a plan is made against it.</summary>
public sealed record CurrentWorkload(
    WorkloadRevision? Stored, int Number, Workload Workload, string Text, string ContentHash, WorkloadProjection Projection,
    IReadOnlyList<string> AppSecretNames)
{
    public WorkloadShape Shape(string appName) => WorkloadShape.Of(Workload, appName);
}

/// <summary>The app's current revision, stored (<see cref="Created"/> is its audit entry when it was stored just now),
/// and what it says as a projection, resources included.</summary>
public sealed record StoredWorkload(WorkloadRevision Revision, WorkloadProjection Projection, AuditEntry? Created);

/// <summary>Which revision each environment runs (by environment id) and the app's newest.</summary>
public sealed record RevisionNumbers(int? Latest, IReadOnlyDictionary<Guid, int> RunningByEnvironment)
{
    public EnvironmentView On(EnvironmentView view) =>
        view with { WorkloadRevision = RunningByEnvironment.TryGetValue(view.Id, out var number) ? number : null, LatestWorkloadRevision = Latest };
}

/// <summary>Finds an application's current workload revision, drawing one from its settings lazily (on first use,
/// not in a migration): the app's columns stay the truth the deploy path reads, and a revision is current only while
/// its projection equals them.</summary>
public sealed class WorkloadRevisions(PaddockDbContext db, SecretStore secrets, ResourceTypes resourceTypes)
{
    public async Task<CurrentWorkload> CurrentAsync(Application app, CancellationToken ct)
    {
        var appSecrets = SecretStore.CurrentAt(await secrets.LatestAsync(app.Id, ct), null).Select(s => s.Name).ToList();
        var settings = WorkloadProjection.Of(app, appSecrets);
        var latest = await db.WorkloadRevisions.AsNoTracking()
            .Where(r => r.ApplicationId == app.Id).OrderByDescending(r => r.Number).FirstOrDefaultAsync(ct);
        var latestWorkload = latest is null ? null : Parse(latest.Text);
        var latestProjection = latestWorkload is null ? null : WorkloadProjection.Read(latestWorkload, null, appSecrets).Projection;
        // The form and the JSON API change an app's containers, never its resources, files or other probes: those stay the
        // latest revision's.
        var projection = latestProjection is null ? settings
            : settings with
            {
                Resources = latestProjection.Resources, ResourceVariables = latestProjection.ResourceVariables, Volumes = latestProjection.Volumes,
                Files = latestProjection.Files, Probes = latestProjection.ProbesBeside(settings.HealthCheck),
            };
        if (latest is not null && latestWorkload is not null && latestProjection?.Key == settings.Key)
            return new CurrentWorkload(latest, latest.Number, latestWorkload, latest.Text, latest.ContentHash, projection, appSecrets);

        var shape = latestWorkload is null ? WorkloadShape.For(app.Name.Value) : WorkloadShape.Of(latestWorkload, app.Name.Value);
        var drawn = WithResourcesAsWritten(projection.ToWorkload(shape), latestWorkload);
        return new CurrentWorkload(null, (latest?.Number ?? 0) + 1, drawn, WorkloadExport.ToYaml(drawn), CanonicalWorkload.ContentHash(drawn),
            projection, appSecrets);
    }

    /// <summary><paramref name="drawn"/> with the provisioned resources of <paramref name="latest"/> as they were written
    /// (class, id, params), which a projection does not hold.</summary>
    private static Workload WithResourcesAsWritten(Workload drawn, Workload? latest)
    {
        if (latest is null) return drawn;
        var resources = new SortedDictionary<string, ResourceRequest>(drawn.Resources.ToDictionary(), StringComparer.Ordinal);
        foreach (var (name, resource) in latest.Resources.Where(r => r.Value.Type != EnvironmentValues.ResourceType))
            resources[name] = resource;
        return drawn with { Resources = resources };
    }

    /// <summary>The app's current revision, stored first when no stored revision says what its settings say (an app made
    /// or changed by the form or the JSON API, or one from before revisions were kept): it becomes the next revision,
    /// origin <see cref="RevisionOrigin.Settings"/>, with its audit entry for the caller to save in its transaction.
    /// Reads the app's secrets from the database: save a change of them first.</summary>
    public async Task<StoredWorkload> EnsureStoredAsync(Application app, Caller caller, DateTime now, CancellationToken ct)
    {
        var current = await CurrentAsync(app, ct);
        if (current.Stored is { } stored) return new StoredWorkload(stored, current.Projection, null);
        var revision = new WorkloadRevision(app.Id, current.Number, RevisionOrigin.Settings, current.Text, current.ContentHash,
            caller.Actor.Id, caller.Actor.Name, now);
        db.WorkloadRevisions.Add(revision);
        return new StoredWorkload(revision, current.Projection, caller.Audit("workload.revision_created", "workload_revision", revision.Id.ToString(),
            app.TeamId, app.Id, null, AuditView(revision)));
    }

    public static object AuditView(WorkloadRevision revision) =>
        new { revision.Number, origin = revision.Origin.ToString(), revision.ContentHash };

    /// <summary>The revision each environment's current deployment runs (by environment id) and the app's newest.</summary>
    public async Task<RevisionNumbers> NumbersAsync(Guid applicationId, IEnumerable<AppEnvironment> environments, CancellationToken ct)
    {
        var currentIds = environments.Select(e => e.CurrentDeploymentId).OfType<Guid>().ToList();
        var running = currentIds.Count == 0 ? []
            : await db.Deployments.AsNoTracking()
                .Where(d => currentIds.Contains(d.Id))
                .Join(db.WorkloadRevisions, d => d.WorkloadRevisionId, r => (Guid?)r.Id, (d, r) => new { d.EnvironmentId, r.Number })
                .ToDictionaryAsync(x => x.EnvironmentId, x => x.Number, ct);
        var latest = await db.WorkloadRevisions.Where(r => r.ApplicationId == applicationId).MaxAsync(r => (int?)r.Number, ct);
        return new RevisionNumbers(latest, running);
    }

    public async Task<WorkloadRevision?> FindAsync(Guid id, CancellationToken ct) =>
        await db.WorkloadRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);

    /// <summary>A stored revision's workload; null if today's rules no longer accept it.</summary>
    public Workload? Parse(string text) => WorkloadLoader.Load(text, resourceTypes.Rules).Workload;
}
