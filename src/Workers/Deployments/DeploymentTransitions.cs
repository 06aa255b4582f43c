using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paddock.Domain.Applications;
using Paddock.Domain.Audit;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Teams;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Events;
using Paddock.Workers.Rollout;

namespace Paddock.Workers.Deployments;

/// <summary>A deployment's state machine, apart from the work it drives: read it (<see cref="LoadAsync"/>), start it
/// (Queued → Deploying, superseding older queued deployments; or resume a Deploying one whose worker died; or cancel it
/// when its environment is being deleted), and finish it (Succeeded, Failed or Cancelled), each transition with its
/// event and, where it ends a deployment, its audit event, in one transaction. The rollout itself is
/// <see cref="DeployJob"/>'s.</summary>
public sealed class DeploymentTransitions(
    PaddockDbContext db,
    EnvironmentEventLog events,
    AuditLog audit,
    WorkloadSpecs specs,
    IOptions<DeploySettings> settings,
    TimeProvider clock,
    ILogger<DeploymentTransitions> logger)
{
    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>A started deployment with its rows, and the deployment that served the environment before it.</summary>
    public sealed record Run(Deployment Deployment, AppEnvironment Environment, Application App, Guid? PreviousDeploymentId);

    /// <summary>What the job read under the lock: the three rows, whether other deployments of the environment wait,
    /// and the team's quota (the backend applies it).</summary>
    public sealed record Loaded(Deployment Deployment, AppEnvironment Environment, Application App, bool OthersQueued, EnvironmentQuota? TeamQuota)
    {
        /// <summary>Nothing stands between this deployment and Deploying but the write itself: it is queued, no other
        /// waits to supersede it, and its environment is not being deleted.</summary>
        public bool StartsPlainly => Deployment.Status == DeploymentStatus.Queued && !OthersQueued
            && Environment.Status != EnvironmentStatus.Deleting && !Environment.IsDeleted;

        public Run Run => new(Deployment, Environment, App, Environment.CurrentDeploymentId);
    }

    /// <summary>Queued → Deploying (or resumed), read again and retried when the portal changed the row meanwhile.
    /// Null when there is nothing to run.</summary>
    public async Task<Run?> StartWithRetriesAsync(Loaded loaded, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartAsync(loaded, ct);
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
                // The portal changed the row meanwhile (a cancel request, new settings): read it again.
                if (await LoadAsync(loaded.Deployment.Id, ct) is not { } again) return null;
                loaded = again;
            }
        }
    }

    /// <summary>The deployment with its environment, app and team quota in one round trip (this is on the way from
    /// "queued" to the user's new version); null when it has ended.</summary>
    public async Task<Loaded?> LoadAsync(Guid deploymentId, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var loaded = await db.Deployments
            .Where(d => d.Id == deploymentId)
            .Join(db.Environments, d => d.EnvironmentId, e => e.Id, (d, e) => new { Deployment = d, Environment = e })
            .Join(db.Applications, x => x.Deployment.ApplicationId, a => a.Id, (x, a) => new
            {
                x.Deployment,
                x.Environment,
                App = a,
                OthersQueued = db.Deployments.Any(o => o.EnvironmentId == x.Deployment.EnvironmentId
                    && o.Status == DeploymentStatus.Queued && o.Id != x.Deployment.Id),
                TeamQuota = db.Teams.Where(t => t.Id == a.TeamId).Select(t => t.Quota).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(ct);
        if (loaded is null || loaded.Deployment.Status.IsTerminal()) return null;
        db.Entry(loaded.App).State = EntityState.Detached;
        return new Loaded(loaded.Deployment, loaded.Environment, loaded.App, loaded.OthersQueued, loaded.TeamQuota);
    }

    /// <summary>Queued → Deploying (only the newest queued deployment of an environment runs; older queued ones are
    /// superseded), or Deploying → resumed by this worker. Null when there is nothing to run.</summary>
    private async Task<Run?> StartAsync(Loaded loaded, CancellationToken ct)
    {
        var (deployment, environment, app) = (loaded.Deployment, loaded.Environment, loaded.App);
        var now = Now;
        var revision = deployment.Revision;

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (environment.Status == EnvironmentStatus.Deleting || environment.IsDeleted)
        {
            deployment.Cancel(now, DeployJob.EnvironmentDeleted);
            await events.AppendAsync(environment.Id, deployment.Id, "cancelled", EventLevel.Warning,
                $"Revision {revision} was cancelled: the environment is being deleted.", ct);
            await audit.SaveChangesAsync(AuditOf("deployment.cancelled", deployment, app, environment), ct);
            await transaction.CommitAsync(ct);
            return null;
        }

        if (deployment.Status == DeploymentStatus.Queued)
        {
            var otherQueued = !loaded.OthersQueued ? [] : await db.Deployments
                .Where(d => d.EnvironmentId == environment.Id && d.Status == DeploymentStatus.Queued && d.Id != deployment.Id)
                .ToListAsync(ct);
            var newest = otherQueued.Where(d => d.Revision > revision).MaxBy(d => d.Revision);
            if (newest is not null)
            {
                deployment.Supersede(newest.Id, now);
                await events.AppendAsync(environment.Id, deployment.Id, "superseded", EventLevel.Info,
                    $"Revision {revision} was superseded by revision {newest.Revision} before it started.", ct);
                await transaction.CommitAsync(ct);
                return null;
            }
            foreach (var older in otherQueued.OrderBy(d => d.Revision))
            {
                older.Supersede(deployment.Id, now);
                await events.AppendAsync(environment.Id, older.Id, "superseded", EventLevel.Info,
                    $"Revision {older.Revision} was superseded by revision {revision} before it started.", ct);
            }
            deployment.Start(settings.Value.WorkerId, now);
            environment.DeploymentStarted();
            await events.AppendAsync(environment.Id, deployment.Id, "deploying", EventLevel.Info,
                $"Deploying revision {revision}: {deployment.Image} x{deployment.Snapshot.Replicas}", ct);
        }
        else
        {
            deployment.Resume(settings.Value.WorkerId, now);
            environment.DeploymentStarted();
            await events.AppendAsync(environment.Id, deployment.Id, "resumed", EventLevel.Warning,
                $"Worker {settings.Value.WorkerId} resumes revision {revision}: its previous worker stopped before finishing.", ct);
        }
        await transaction.CommitAsync(ct);
        return new Run(deployment, environment, app, environment.CurrentDeploymentId);
    }

    /// <summary>Live: the deployment serves, and the one it replaced begins retiring in the same transaction (so a
    /// worker that dies right after leaves it to the sweeper). Returns that deployment.</summary>
    public async Task<Guid?> SucceedAsync(Run run, string? url, string? imageDigest, CancellationToken ct)
    {
        Guid? retiring = null;
        await FinishAsync(run, "deployment.succeeded", async (deployment, environment, app) =>
        {
            var pending = await specs.SettingsDifferAsync(deployment.Snapshot, app, environment, ct);
            retiring = null;
            if (environment.CurrentDeploymentId is { } previousId && previousId != deployment.Id
                && await db.Deployments.SingleOrDefaultAsync(d => d.Id == previousId, ct) is { Status: DeploymentStatus.Succeeded } previous)
            {
                previous.BeginRetiring(Now);
                retiring = previous.Id;
            }
            deployment.Succeed(imageDigest, Now);
            environment.DeploymentSucceeded(deployment.Id, url, pending);
            var where = url is null ? " (no public URL)" : $" at {url}";
            return ("succeeded", EventLevel.Info, $"Revision {deployment.Revision} is live{where}");
        }, ct);
        return retiring;
    }

    public Task FailAsync(Run run, string reason, CancellationToken ct)
    {
        var text = reason.Length > 4000 ? reason[..4000] : reason;
        return FinishAsync(run, "deployment.failed", (deployment, environment, _) =>
        {
            deployment.Fail(text, Now);
            environment.DeploymentFailed(text);
            return Task.FromResult(("failed", EventLevel.Error, $"Revision {deployment.Revision} failed: {text}"));
        }, ct);
    }

    public Task StopAsync(Run run, string reason, CancellationToken ct) =>
        FinishAsync(run, "deployment.cancelled", (deployment, environment, _) =>
        {
            deployment.Cancel(Now, reason);
            var message = reason == DeployJob.EnvironmentDeleted
                ? $"Revision {deployment.Revision} was cancelled: the environment is being deleted."
                : $"Revision {deployment.Revision} was cancelled while deploying.";
            environment.DeploymentFailed(message);
            return Task.FromResult(("cancelled", EventLevel.Warning, message));
        }, ct);

    /// <summary>The deployment's final state, the environment's, the closing event and the audit event: one transaction.
    /// Read fresh (the heartbeat and the portal touch these rows meanwhile) and retried on a concurrent change.</summary>
    private async Task FinishAsync(Run run, string action,
        Func<Deployment, AppEnvironment, Application, Task<(string Phase, EventLevel Level, string Message)>> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var deployment = await db.Deployments.SingleAsync(d => d.Id == run.Deployment.Id, ct);
            if (deployment.Status.IsTerminal()) return;
            var environment = await db.Environments.SingleAsync(e => e.Id == run.Environment.Id, ct);
            var app = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == run.App.Id, ct);
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var (phase, level, message) = await change(deployment, environment, app);
                await events.AppendAsync(environment.Id, deployment.Id, phase, level, message, ct);
                await audit.SaveChangesAsync(AuditOf(action, deployment, app, environment), ct);
                await transaction.CommitAsync(ct);
                logger.LogInformation("Deployment {DeploymentId} of {Resource}: {Status}", deployment.Id, environment.ResourceName, deployment.Status);
                return;
            }
            catch (DbUpdateConcurrencyException) when (attempt < 5)
            {
            }
        }
    }

    private static AuditEntry AuditOf(string action, Deployment deployment, Application app, AppEnvironment environment) =>
        new(DeployJob.Actor.Id, DeployJob.Actor.Name, action, "deployment", deployment.Id.ToString(), app.TeamId, app.Id,
            null,
            AuditJson.Serialize(new
            {
                environment = environment.Name.Value,
                deployment.Revision,
                deployment.Image,
                status = deployment.Status,
                deployment.FailureReason,
                url = environment.Url,
            }),
            null, null);
}
