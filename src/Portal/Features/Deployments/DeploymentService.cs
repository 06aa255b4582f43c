using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Applications;
using Paddock.Domain.Audit;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Events;
using Paddock.Portal.Api;
using Paddock.Domain.Tickets;
using Paddock.Portal.Features.Tickets;
using Paddock.Portal.Features.Environments;

namespace Paddock.Portal.Features.Deployments;

/// <summary>Queuing, reading, cancelling and redeploying deployments, for the API and the UI. The workers run them;
/// here they are only written (with their event and audit entry, in one transaction) and handed over.</summary>
public sealed class DeploymentService(
    PaddockDbContext db, EnvironmentLookup lookup, DeploymentQueue queue, EnvironmentEventLog events, AuditLog audit, TimeProvider clock,
    TicketRegistry tickets, Teams.RegistryPolicy registryPolicy, Workloads.WorkloadRevisions revisions)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public async Task<Outcome<DeploymentView>> QueueAsync(
        Caller caller, string appName, string envName, DeployRequest request, string? idempotencyKey, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;
        var (app, env, access) = target;
        if (access < TeamAccess.Deploy)
            return Failure.Forbidden($"Deploying '{app.Name}' needs the member or owner role in its team, or a deploy-scoped team token.");

        var errors = new FieldErrors();
        request.Validate(errors);
        errors.Add("Idempotency-Key", DeploymentRules.CheckIdempotencyKey(idempotencyKey));
        // The image this deployment would run, also when it is the app's or environment's: the lists may have narrowed.
        await registryPolicy.CheckAsync(app.TeamId, request.Image ?? env.Overrides.Image ?? app.Image, errors, ct);
        if (errors.Any) return errors.ToFailure();
        if (idempotencyKey is not null && await ByIdempotencyKeyAsync(env.Id, idempotencyKey, ct) is { } earlier)
            return DeploymentView.Of(earlier, app.Name.Value, env.Name.Value);
        if (env.Status == EnvironmentStatus.Deleting)
            return Failure.Conflict($"Environment '{env.Name}' of '{app.Name}' is being deleted; it cannot be deployed.");

        var now = clock.GetUtcNow().UtcDateTime;
        return await queue.HandOverWhileAsync<Outcome<DeploymentView>>(async deploymentId =>
        {
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var imageChange = request.Image is { } image ? AdoptImage(caller, app, env, image, deploymentId) : null;
                // The app's workload as it is now is what this deployment runs (stored first for an app whose settings
                // no revision says yet, e.g. one from before revisions were kept).
                var (revision, workload, revisionCreated) = await revisions.EnsureStoredAsync(app, caller, now, ct);
                var snapshot = await queue.SnapshotAsync(app, env, workload, ct);
                var carried = await CarriedTicketsAsync(app.TeamId, request, ct);
                var deployment = await queue.AddAsync(new NewDeployment(deploymentId, env, snapshot, caller.Actor)
                {
                    Tickets = carried.Select(t => t.Key).ToArray(),
                    Message = request.Message,
                    IdempotencyKey = idempotencyKey,
                    WorkloadRevisionId = revision.Id,
                }, now, ct);
                var view = DeploymentView.Of(deployment, app.Name.Value, env.Name.Value);
                await audit.SaveChangesAsync([.. Recorded(imageChange), .. Recorded(revisionCreated), caller.Audit("deployment.queued", "deployment", deployment.Id.ToString(), app.TeamId, app.Id, null, view)], ct);
                await transaction.CommitAsync(ct);
                return view;
            }
            catch (DbUpdateException e) when (idempotencyKey is not null && e.IsUniqueViolation())
            {
                // The same request arrived twice at once: the first one's deployment is the answer to both.
                db.ChangeTracker.Clear();
                if (await ByIdempotencyKeyAsync(env.Id, idempotencyKey, ct) is { } first) return DeploymentView.Of(first, app.Name.Value, env.Name.Value);
                return QueuedAtTheSameMoment(env);
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || e.IsUniqueViolation())
            {
                return QueuedAtTheSameMoment(env);
            }
        });
    }

    public async Task<Outcome<DeploymentView>> GetAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var deployment = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (deployment is null) return Failure.NotFound("The deployment");
        var (target, notFound) = await lookup.FindAsync(caller, deployment.ApplicationId, deployment.EnvironmentId, ct);
        if (target is null) return notFound!;
        return DeploymentView.Of(deployment, target.App.Name.Value, target.Env.Name.Value);
    }

    /// <summary>The environment's deployments, newest first.</summary>
    public async Task<Outcome<DeploymentPageView>> ListAsync(Caller caller, string appName, string envName, Paging paging, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;

        var history = db.Deployments.AsNoTracking().Where(d => d.EnvironmentId == target.Env.Id);
        var total = await history.CountAsync(ct);
        var items = await history.OrderByDescending(d => d.Revision).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        return new DeploymentPageView(items.Select(d => DeploymentView.Of(d, target.App.Name.Value, target.Env.Name.Value)).ToList(),
            paging.Page, paging.PageSize, total, paging.NextPage(total));
    }

    /// <summary>A queued deployment ends as Cancelled at once; a running one is asked to stop and its worker ends it.</summary>
    public async Task<Outcome<DeploymentView>> CancelAsync(Caller caller, Guid id, CancellationToken ct)
    {
        var deployment = await db.Deployments.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (deployment is null) return Failure.NotFound("The deployment");
        var (target, notFound) = await lookup.FindAsync(caller, deployment.ApplicationId, deployment.EnvironmentId, ct);
        if (target is null) return notFound!;
        var (app, env, access) = target;
        if (access < TeamAccess.Deploy)
            return Failure.Forbidden($"Cancelling deployments of '{app.Name}' needs the member or owner role in its team, or a deploy-scoped team token.");

        var before = DeploymentView.Of(deployment, app.Name.Value, env.Name.Value);
        var now = clock.GetUtcNow().UtcDateTime;
        if (!deployment.RequestCancel(now))
            return Failure.Conflict($"Deployment {deployment.Id} already ended as {deployment.Status}; there is nothing to cancel.");
        var cancelled = deployment.Status == DeploymentStatus.Cancelled;
        var view = DeploymentView.Of(deployment, app.Name.Value, env.Name.Value);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await events.AppendAsync(env.Id, deployment.Id, cancelled ? "cancelled" : "cancel_requested", EventLevel.Warning,
                cancelled ? $"Revision {deployment.Revision} cancelled by {caller.Actor.Name} before it started."
                    : $"{caller.Actor.Name} asked to cancel revision {deployment.Revision}; the worker stops it at its next step.", ct);
            await audit.SaveChangesAsync(caller.Audit(cancelled ? "deployment.cancelled" : "deployment.cancel_requested",
                "deployment", deployment.Id.ToString(), app.TeamId, app.Id, before, view), ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("The deployment changed (a worker picked it up) while it was being cancelled; try again.");
        }
        return view;
    }

    /// <summary>Deploys the snapshot of an earlier deployment again, pinned secret versions included (a rollback).</summary>
    public async Task<Outcome<DeploymentView>> RedeployAsync(Caller caller, Guid id, RedeployRequest request, CancellationToken ct)
    {
        var earlier = await db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (earlier is null) return Failure.NotFound("The deployment");
        var (target, notFound) = await lookup.FindAsync(caller, earlier.ApplicationId, earlier.EnvironmentId, ct);
        if (target is null) return notFound!;
        var (app, env, access) = target;
        if (access < TeamAccess.Deploy)
            return Failure.Forbidden($"Redeploying '{app.Name}' needs the member or owner role in its team, or a deploy-scoped team token.");
        var errors = new FieldErrors();
        request.Validate(errors);
        // The registry lists may have narrowed since the earlier deployment ran.
        await registryPolicy.CheckAsync(app.TeamId, earlier.Snapshot.Image, errors, ct);
        if (errors.Any) return errors.ToFailure();
        if (env.IsDeleted || env.Status == EnvironmentStatus.Deleting)
            return Failure.Conflict($"Environment '{env.Name}' of '{app.Name}' is {(env.IsDeleted ? "deleted" : "being deleted")}; it cannot be deployed.");

        var now = clock.GetUtcNow().UtcDateTime;
        return await queue.HandOverWhileAsync<Outcome<DeploymentView>>(async deploymentId =>
        {
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var imageChange = AdoptImage(caller, app, env, earlier.Snapshot.Image, deploymentId);
                var pinned = earlier.Snapshot with { ImageDigest = earlier.ImageDigest ?? earlier.Snapshot.ImageDigest };
                var deployment = await queue.AddAsync(new NewDeployment(deploymentId, env, pinned, caller.Actor)
                {
                    Message = request.Reason!.Trim(),
                    RedeployOf = earlier,
                    WorkloadRevisionId = earlier.WorkloadRevisionId,
                }, now, ct);
                var view = DeploymentView.Of(deployment, app.Name.Value, env.Name.Value);
                await audit.SaveChangesAsync([.. Recorded(imageChange), caller.Audit("deployment.redeployed", "deployment", deployment.Id.ToString(), app.TeamId, app.Id,
                    new { redeployOf = earlier.Id, earlier.Revision }, view)], ct);
                await transaction.CommitAsync(ct);
                return view;
            }
            catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || e.IsUniqueViolation())
            {
                return QueuedAtTheSameMoment(env);
            }
        });
    }

    /// <summary>The tickets named by the request and found in its commits and branch, recorded for the team in the open transaction.</summary>
    private async Task<IReadOnlyList<TicketFacts>> CarriedTicketsAsync(Guid teamId, DeployRequest request, CancellationToken ct)
    {
        var found = request.Commits is null && request.Branch is null ? []
            : TicketRegistry.FromCommits(await tickets.KeysForAsync(teamId, ct), request.Commits?.Select(c => new CommitInfo(c.Sha, c.Message, c.Timestamp)), request.Branch);
        var facts = TicketFacts.Merge((request.Tickets ?? []).Select(k => new TicketFacts(k)).Concat(found));
        await tickets.RecordAsync(teamId, facts, "deployment", ct);
        return facts;
    }

    /// <summary>Deploying an image (or redeploying an earlier deployment) makes its image the environment's image, so
    /// the next plain deployment does not undo it; the change is audited as a change of the environment beside the
    /// deployment. Null when the environment already had that image.</summary>
    private static AuditEntry? AdoptImage(Caller caller, Application app, AppEnvironment env, string image, Guid deploymentId)
    {
        var before = env.ImageOver(app.Image);
        if (!env.AdoptImage(image, app.Image)) return null;
        return caller.Audit("environment.image_changed", "environment", env.Id.ToString(), app.TeamId, app.Id,
            new { image = before }, new { image, deploymentId });
    }

    private static IEnumerable<AuditEntry> Recorded(AuditEntry? entry) => entry is null ? [] : [entry];

    private static Failure QueuedAtTheSameMoment(AppEnvironment env) =>
        Failure.Conflict($"Another deployment of '{env.Name}' was queued at the same moment; try again.");

    private Task<Deployment?> ByIdempotencyKeyAsync(Guid environmentId, string key, CancellationToken ct) =>
        db.Deployments.AsNoTracking().FirstOrDefaultAsync(d => d.EnvironmentId == environmentId && d.IdempotencyKey == key, ct);
}
