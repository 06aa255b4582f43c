using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;
using Paddock.Domain.Edge;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Persistence.Events;
using Paddock.Runtime.Backends;
using Loaded = Paddock.Workers.Deployments.DeploymentTransitions.Loaded;
using Run = Paddock.Workers.Deployments.DeploymentTransitions.Run;

namespace Paddock.Workers.Deployments;

/// <summary>Runs one deployment's rollout under its environment's lock: apply through the backend, switch the edge
/// once the new instances are healthy and prove the stable URL answers; then, with the lock released, hand the
/// instances it replaced to their retirement in the background (<see cref="Rollout.RetirementRunner"/>). The deployment's transitions (start, supersede, resume,
/// finish, cancel) are <see cref="DeploymentTransitions"/>'. A backend that serves the traffic itself
/// (<see cref="IRuntimeBackend.ServesTraffic"/>, Kubernetes) skips the edge: its URL is the backend's own. Safe to run
/// twice or to resume after a worker died: every step reads the current state first.</summary>
public sealed class DeployJob(
    PaddockDbContext db,
    DbContextOptions<PaddockDbContext> dbOptions,
    EnvironmentEventLog events,
    BackendRegistry backends,
    WorkloadSpecs specs,
    EdgeSwitch edge,
    EnvironmentLocks locks,
    DeploymentTransitions transitions,
    Rollout.RetirementRunner retirements,
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
        if (retiring is { } previous) retirements.Start(previous);
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
                         TimeSpan.FromSeconds(settings.Value.HeartbeatSeconds), ct, HasStartedAsync(started)))
        {
            try
            {
                verdict = await ApplyAndSwitchAsync(planned, started, backend!, spec!, journal, notStarted.Token, ct);
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
                return await transitions.SucceedAsync(run, verdict.Text, verdict.ImageDigest, ct);
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
        try
        {
            return (await specs.BuildAsync(loaded.Deployment, loaded.App, loaded.Environment, loaded.TeamQuota, ct), null);
        }
        catch (Exception e) when (e is PinnedSecretMissingException or CryptographicException)
        {
            return (null, $"The deployment's secrets cannot be read: {e.Message}");
        }
    }

    private async Task<Verdict> ApplyAndSwitchAsync(Run run, Task<Run?> started, IRuntimeBackend backend, WorkloadSpec spec,
        DeploymentJournal journal, CancellationToken notStarted, CancellationToken ct)
    {
        var environmentId = run.Environment.Id;
        var deploymentId = run.Deployment.Id;
        // The way from a healthy instance to the user's first answer from it gets a connection of its own: on the
        // journal's it would wait behind the progress events written so far.
        await using var switchDb = new PaddockDbContext(dbOptions);
        var lane = edge.On(switchDb);
        // Read while the backend works (the lock we hold keeps the route as it is): one round trip less after the probe.
        var previousRoute = backend.ServesTraffic ? null : lane.CurrentAsync(environmentId, ct);
        ApplyResult applied;
        EdgeRoute? previous;
        try
        {
            applied = await ApplyWithRetriesAsync(backend, spec, journal, notStarted, ct);
        }
        finally
        {
            // Observed on every path: the read must not outlive its context.
            previous = previousRoute is null ? null : await previousRoute;
        }
        // Nothing switches before the deployment is Deploying for all to see; its failures are the caller's to handle.
        if (!await HasStartedAsync(started)) return Verdict.NotStarted;
        if (!applied.Succeeded) return Verdict.Fail(Describe(applied.Failure!));
        if (backend.ServesTraffic)
            return await journal.CheckStopAsync(switchDb) is { } stop ? Verdict.Stop(stop) : await ServedByBackendAsync(run, backend, applied, journal, ct);

        var host = edge.Settings.HostFor(spec.ResourceName);
        var url = edge.Settings.UrlFor(host);
        var upstreams = applied.Instances.Select(i => $"http://{i.Endpoint}").ToList();
        // The switch itself refuses a deployment asked to stop meanwhile; only then is the reason read.
        if (await lane.PointUnlessStoppedAsync(environmentId, host, deploymentId, upstreams, ct) is not { } version)
            return Verdict.Stop(await journal.CheckStopAsync(switchDb) ?? CancelRequested);
        if (!await lane.WaitForAckAsync(environmentId, version, ct))
        {
            await lane.RestoreAsync(environmentId, previous, ct);
            return Verdict.Fail($"The edge did not take the new route within {edge.Settings.AckTimeoutSeconds}s.");
        }
        await journal.AppendAsync("switched", EventLevel.Info,
            $"Traffic for {url} now goes to revision {run.Deployment.Revision} ({string.Join(", ", upstreams)})");

        if (await edge.ProbeThroughEdgeAsync(host, spec.HealthCheck, ct) is { } unanswered)
        {
            await lane.RestoreAsync(environmentId, previous, ct);
            return Verdict.Fail($"The environment did not answer through the edge: {unanswered}");
        }
        await journal.AppendAsync("probe", EventLevel.Info, $"{url} answers through the edge");
        return Verdict.Succeed(url, applied.ImageDigest);
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

    /// <summary>The backend serves the environment itself (a Kubernetes Ingress): there is no edge route to switch,
    /// acknowledge or probe through, and the backend's rollout already proved the new instances ready. The URL is
    /// the backend's; without one the environment is reachable only inside the backend, and the event says where.</summary>
    private async Task<Verdict> ServedByBackendAsync(Run run, IRuntimeBackend backend, ApplyResult applied, DeploymentJournal journal, CancellationToken ct)
    {
        var revision = run.Deployment.Revision;
        if (applied.PublicUrl is { } url)
            await journal.AppendAsync("switched", EventLevel.Info, $"Backend {backend.Name} serves revision {revision} at {url}");
        else
            await journal.AppendAsync("switched", EventLevel.Warning,
                $"Revision {revision} has no public URL: backend {backend.Name} has no ingress host pattern. "
                + $"It answers only inside the backend, at {string.Join(", ", applied.Instances.Select(i => $"http://{i.Endpoint}/").Distinct())}");
        return Verdict.Succeed(applied.PublicUrl?.ToString(), applied.ImageDigest);
    }

    /// <summary>An unreachable engine is often a restart away: retry with doubling pauses within the configured
    /// budget, saying so in the events, before giving up.</summary>
    private async Task<ApplyResult> ApplyWithRetriesAsync(IRuntimeBackend backend, WorkloadSpec spec, DeploymentJournal journal,
        CancellationToken notStarted, CancellationToken ct)
    {
        var budget = TimeSpan.FromSeconds(settings.Value.EngineRetrySeconds);
        var started = clock.GetUtcNow();
        var pause = TimeSpan.FromSeconds(1);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, journal.Stopping, notStarted);
        while (true)
        {
            var result = await backend.ApplyRedactedAsync(spec, journal, linked.Token);
            if (result.Failure is not { Kind: ApplyFailureKind.EngineUnreachable } failure) return result;
            var remaining = budget - (clock.GetUtcNow() - started);
            if (remaining <= TimeSpan.Zero)
                return ApplyResult.Failed(ApplyFailureKind.EngineUnreachable, $"engine unreachable: {failure.Reason}");
            var wait = pause < remaining ? pause : remaining;
            await journal.AppendAsync("retry", EventLevel.Warning, $"The engine is unreachable; trying again in {wait.TotalSeconds:0.#}s. {failure.Reason}");
            await Task.Delay(wait, clock, linked.Token);
            pause *= 2;
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
            await backend.RemoveOthersAsync(run.Environment.Id, run.PreviousDeploymentId ?? Guid.Empty, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not remove the instances of deployment {DeploymentId}", run.Deployment.Id);
        }
    }
}
