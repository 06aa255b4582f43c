using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Persistence.Events;
using Paddock.Runtime.Backends;
using Paddock.Workers.Resources;
using Paddock.Workers.Rollout;
using Loaded = Paddock.Workers.Deployments.DeploymentTransitions.Loaded;
using Run = Paddock.Workers.Deployments.DeploymentTransitions.Run;

namespace Paddock.Workers.Deployments;

/// <summary>Runs one deployment under its environment's lock through the one rollout (<see cref="EnvironmentRollout"/>):
/// apply through the backend, route traffic through the backend's traffic seam once the new instances are healthy and
/// prove the stable URL answers; then, with the lock released, retire the instances it replaced in the background. The
/// deployment's transitions (start, supersede, resume, finish, cancel) are <see cref="DeploymentTransitions"/>'. Safe to
/// run twice or to resume after a worker died: every step reads the current state first.</summary>
public sealed class DeployJob(
    PaddockDbContext db,
    DbContextOptions<PaddockDbContext> dbOptions,
    EnvironmentEventLog events,
    BackendRegistry backends,
    WorkloadSpecs specs,
    EnvironmentLocks locks,
    DeploymentTransitions transitions,
    EnvironmentRollout rollout,
    ResourceLifecycle resources,
    IOptions<DeploySettings> settings,
    TimeProvider clock,
    ILogger<DeployJob> logger)
{
    public const string EnvironmentDeleted = "environment deleted";
    public const string CancelRequested = "Cancelled while deploying.";
    public static readonly Domain.Access.Actor Actor = Domain.Access.Actor.System("deployer");

    /// <summary>How long a job waits for a deployment row that was handed over before its commit.</summary>
    public static readonly TimeSpan UncommittedWait = TimeSpan.FromSeconds(5);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task RunAsync(Guid deploymentId, CancellationToken ct)
    {
        var environmentId = await EnvironmentToDeployAsync(deploymentId, ct);
        if (environmentId is null) return;

        Guid? retiring;
        await using (var held = await locks.AcquireAsync(environmentId.Value, () => BeatWhileQueuedAsync(deploymentId, ct), ct))
        {
            var loaded = await transitions.LoadAsync(deploymentId, ct);
            if (loaded is null) return;
            logger.LogInformation("Deploying revision {Revision} of {Resource} ({DeploymentId})", loaded.Deployment.Revision, loaded.Environment.ResourceName, deploymentId);
            retiring = await DeployAsync(loaded, ct);
        }
        // The deployment is live and the environment free for the next one while the old instances drain and stop.
        if (retiring is { } previous) rollout.RetireInBackground(previous);
    }

    /// <summary>The environment of a deployment still to run; null when it ended already or never came to be. The
    /// portal hands a deployment over while it commits it (<c>DeploymentQueue.HandOverWhileAsync</c>), so a job
    /// that is quicker than that commit waits a moment for the row.</summary>
    private async Task<Guid?> EnvironmentToDeployAsync(Guid deploymentId, CancellationToken ct)
    {
        var started = clock.GetUtcNow();
        while (true)
        {
            var row = await db.Deployments.AsNoTracking()
                .Where(d => d.Id == deploymentId)
                .Select(d => new { d.EnvironmentId, d.Status })
                .SingleOrDefaultAsync(ct);
            if (row is not null) return row.Status.IsTerminal() ? null : row.EnvironmentId;
            var waited = clock.GetUtcNow() - started;
            if (waited >= UncommittedWait) return null; // its transaction rolled back
            await Task.Delay(TimeSpan.FromMilliseconds(waited < TimeSpan.FromMilliseconds(100) ? 2 : 50), clock, ct);
        }
    }

    /// <summary>NotStarted: the Deploying transition found the deployment cancelled, superseded or its environment
    /// deleted, and recorded that itself, while the backend had already begun.</summary>
    private enum VerdictKind { Succeeded, Failed, Stopped, NotStarted }

    /// <summary>Text: the failure or stop reason, or the URL of a success (null when the environment has none).</summary>
    private sealed record Verdict(VerdictKind Kind, string? Text, string? ImageDigest = null)
    {
        public static Verdict Succeed(string? url, string? imageDigest) => new(VerdictKind.Succeeded, url, imageDigest);
        public static Verdict Fail(string reason) => new(VerdictKind.Failed, reason);
        public static Verdict Stop(string reason) => new(VerdictKind.Stopped, reason);
        public static readonly Verdict NotStarted = new(VerdictKind.NotStarted, null);
    }

    /// <summary>A job waiting for the lock keeps its queued deployment's heartbeat fresh, so the sweeper leaves it alone.</summary>
    private Task BeatWhileQueuedAsync(Guid deploymentId, CancellationToken ct)
    {
        var now = Now;
        return db.Deployments.Where(d => d.Id == deploymentId && d.Status == DeploymentStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.HeartbeatAt, now), ct);
    }

    /// <summary>Starts the deployment (Queued → Deploying) and runs it through its backend. A plain start goes ahead
    /// of its own commit: the backend begins (image, containers) while the transition is written, and only the edge
    /// switch waits for it; the journal holds the backend's events until then, so they follow "deploying". Should
    /// the transition find the deployment cancelled or superseded after all, the backend is stopped and what it made
    /// removed. Returns the deployment that retires once this one went live, if any.</summary>
    private async Task<Guid?> DeployAsync(Loaded loaded, CancellationToken ct)
    {
        var backend = backends.Find(loaded.Environment.Backend);
        var (spec, refusal) = backend is null
            ? (null, $"No backend named '{loaded.Environment.Backend}' is configured.")
            : await SpecAsync(loaded, ct);
        // Read before the transition: it changes these very entities.
        var goAhead = refusal is null && loaded.StartsPlainly;
        using var notStarted = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var started = StartOrAbortAsync(loaded, notStarted);
        if (!goAhead)
        {
            var first = await started;
            if (first is null) return null;
            if (refusal is not null)
            {
                await transitions.FailAsync(first, refusal, ct);
                return null;
            }
            loaded = loaded with { Deployment = first.Deployment, Environment = first.Environment };
        }

        var planned = loaded.Run;
        Verdict verdict;
        await using (var journal = new DeploymentJournal(db, events, clock, logger, planned.Deployment.Id, planned.Environment.Id,
                         TimeSpan.FromSeconds(settings.Value.HeartbeatSeconds), HasStartedAsync(started), ct))
        {
            try
            {
                verdict = await ApplyAndRouteAsync(planned, started, backend!, spec!, journal, notStarted.Token, ct);
            }
            catch (OperationCanceledException) when (journal.StopReason is { } reason && !ct.IsCancellationRequested)
            {
                verdict = Verdict.Stop(reason);
            }
            catch (OperationCanceledException) when (notStarted.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                verdict = Verdict.NotStarted;
            }
            catch (Exception e) when (e is not OperationCanceledException and not DbUpdateException and not Npgsql.NpgsqlException)
            {
                logger.LogError(e, "Deployment {DeploymentId} failed unexpectedly", planned.Deployment.Id);
                verdict = Verdict.Fail($"Unexpected error: {SecretRedactor.For(spec!).Redact(e.Message)}");
            }
        }

        Run? run;
        try
        {
            run = await started;
        }
        catch
        {
            await RemoveUnservedInstancesAsync(planned, backend!, ct);
            throw;
        }
        if (run is null || verdict.Kind == VerdictKind.NotStarted)
        {
            await RemoveUnservedInstancesAsync(planned, backend!, ct);
            return null;
        }
        switch (verdict.Kind)
        {
            case VerdictKind.Succeeded:
                var retiring = await transitions.SucceedAsync(run, verdict.Text, verdict.ImageDigest, ct);
                await RemoveDroppedResourcesAsync(run, ct);
                return retiring;
            case VerdictKind.Failed:
                await RemoveUnservedInstancesAsync(run, backend!, ct);
                await transitions.FailAsync(run, verdict.Text!, ct);
                return null;
            default:
                await RemoveUnservedInstancesAsync(run, backend!, ct);
                await transitions.StopAsync(run, verdict.Text!, ct);
                return null;
        }
    }

    /// <summary>A plan that removed resources from the workload showed the data loss and was confirmed when applied: once
    /// its deployment is live (no new instance uses them), they go under the environment's resource policy. Only
    /// plans do this: a rollback to a deployment from before a resource existed keeps the resource.</summary>
    private async Task RemoveDroppedResourcesAsync(Run run, CancellationToken ct)
    {
        if (run.Deployment.PlanId is null) return;
        var failure = await resources.DeprovisionRemovedAsync(run.Environment.Id, run.Deployment.Id, run.Deployment.Snapshot.Resources ?? [], ct);
        if (failure is not null)
            logger.LogWarning("A resource removed by deployment {DeploymentId} could not be deprovisioned yet: {Reason}", run.Deployment.Id, failure);
    }

    /// <summary>The Deploying transition; cancels <paramref name="notStarted"/> when it does not happen (the
    /// deployment ended meanwhile, or the write failed), so a backend that went ahead stops.</summary>
    private async Task<Run?> StartOrAbortAsync(Loaded loaded, CancellationTokenSource notStarted)
    {
        Run? run = null;
        try
        {
            run = await transitions.StartWithRetriesAsync(loaded, notStarted.Token);
            return run;
        }
        finally
        {
            if (run is null) await notStarted.CancelAsync();
        }
    }

    private async Task<(WorkloadSpec? Spec, string? Refusal)> SpecAsync(Loaded loaded, CancellationToken ct)
    {
        // The workload's resources come first: one that cannot be provisioned fails the deployment before any container starts.
        if (loaded.Deployment.Snapshot.Resources is { Count: > 0 } wanted
            && await resources.ProvisionAsync(loaded.Environment.Id, loaded.Deployment.Id, wanted, ct, loaded.Deployment.Snapshot.ResourceCopies) is { } failure)
            return (null, failure);
        try
        {
            return (await specs.BuildAsync(loaded.Deployment, loaded.App, loaded.Environment, loaded.TeamQuota, ct), null);
        }
        catch (Exception e) when (e is PinnedSecretMissingException or CryptographicException)
        {
            return (null, $"The deployment's secrets cannot be read: {e.Message}");
        }
        catch (ResourceOutputMissingException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>The rollout's apply and route steps for a deployment going live. Nothing routes before the deployment
    /// is Deploying for all to see; its failures are the caller's to handle.</summary>
    private async Task<Verdict> ApplyAndRouteAsync(Run run, Task<Run?> started, IRuntimeBackend backend, WorkloadSpec spec,
        DeploymentJournal journal, CancellationToken notStarted, CancellationToken ct)
    {
        ApplyResult applied;
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, journal.Stopping, notStarted))
            applied = await rollout.ApplyAsync(backend, spec, journal, retryUnreachable: true,
                reason => journal.AppendAsync("retry", EventLevel.Warning, reason), linked.Token);
        if (!await HasStartedAsync(started)) return Verdict.NotStarted;
        if (!applied.Succeeded) return Verdict.Fail(Describe(applied.Failure!));

        // The way from a healthy instance to the user's first answer from it gets a connection of its own: on the
        // journal's it would wait behind the progress events written so far.
        await using var routeDb = new PaddockDbContext(dbOptions);
        var routed = await rollout.RouteAsync(backend, routeDb, new RouteRequest
        {
            EnvironmentId = run.Environment.Id,
            ResourceName = spec.ResourceName,
            DeploymentId = run.Deployment.Id,
            Revision = run.Deployment.Revision,
            Endpoints = applied.Instances.Select(i => i.Endpoint).ToList(),
            HealthCheck = spec.HealthCheck,
            BackendUrl = applied.PublicUrl,
            GoesLive = true,
            StopReason = _ => journal.CheckStopAsync(routeDb),
            Note = journal.AppendAsync,
        }, ct);
        return routed.Outcome switch
        {
            RouteOutcome.Served => Verdict.Succeed(routed.Url, applied.ImageDigest),
            RouteOutcome.Stopped => Verdict.Stop(routed.Reason ?? CancelRequested),
            _ => Verdict.Fail(routed.Reason!),
        };
    }

    /// <summary>Whether the transition happened; its failure is observed where the job awaits it.</summary>
    private static async Task<bool> HasStartedAsync(Task<Run?> started)
    {
        try
        {
            return await started is not null;
        }
        catch
        {
            return false;
        }
    }

    private static string Describe(ApplyFailure failure) =>
        failure.LastLogLines.Count == 0
            ? failure.Reason
            : $"{failure.Reason}\nLast log lines:\n{string.Join('\n', failure.LastLogLines)}";

    /// <summary>After a failure or a stop, only the deployment that serves the environment keeps instances
    /// (none if nothing served yet).</summary>
    private async Task RemoveUnservedInstancesAsync(Run run, IRuntimeBackend backend, CancellationToken ct)
    {
        try
        {
            await rollout.RemoveAllButAsync(backend, run.Environment.Id, run.PreviousDeploymentId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not remove the instances of deployment {DeploymentId}", run.Deployment.Id);
        }
    }
}
