using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Reconciliation;
using Paddock.Persistence;
using Paddock.Persistence.Events;
using Paddock.Runtime.Backends;
using Paddock.Workers.Rollout;

namespace Paddock.Workers.Reconciliation;

/// <summary>Makes one environment match its current deployment again, like a controller's sync step: observe,
/// decide (<see cref="ReconcileDecision"/>), repair, and say so. Only ever under the environment's lock, taken
/// without waiting, so a deploy or teardown in progress is never fought.</summary>
public sealed class EnvironmentReconciler(
    PaddockDbContext db,
    EnvironmentEventLog events,
    RepairRecorder recorder,
    BackendRegistry backends,
    WorkloadSpecs specs,
    EnvironmentRollout rollout,
    ReconcileLocks locks,
    InstanceEndings endings,
    OutageAnnouncer outages,
    ResourceDrift resourceDrift,
    IOptions<ReconcilerSettings> settings,
    TimeProvider clock,
    ILogger<EnvironmentReconciler> logger)
{
    /// <summary>Event phases the reconciler writes. Restarts of instances that exited on their own (and failed
    /// repairs) count toward a crash loop; repairs after a kill, stop or removal from outside do not.</summary>
    public const string RepairedPhase = "repaired";
    public const string RestartedPhase = "restarted";
    public const string RepairFailedPhase = "repair_failed";
    public const string CleanedPhase = "cleaned";
    public const string DriftPhase = "drift";
    public const string CrashLoopPhase = "crash_loop";
    public const string InSyncPhase = "in_sync";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<ReconcileOutcome> ReconcileAsync(Guid environmentId, string trigger, CancellationToken ct)
    {
        await using var held = await locks.TryAcquireAsync(environmentId, ct);
        if (held is null) return ReconcileOutcome.Of(ReconcileResult.Busy);
        try
        {
            return await ReconcileHeldAsync(environmentId, trigger, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // The portal changed the row meanwhile (self-heal switched, settings patched): look again shortly.
            return new ReconcileOutcome(ReconcileResult.Busy, Now.AddSeconds(1));
        }
    }

    private async Task<ReconcileOutcome> ReconcileHeldAsync(Guid environmentId, string trigger, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var environment = await db.Environments.SingleOrDefaultAsync(e => e.Id == environmentId, ct);
        if (environment is null || environment.IsDeleted || environment.Status is EnvironmentStatus.Deleting or EnvironmentStatus.Deploying
            || backends.Find(environment.Backend) is not { } backend)
            return ReconcileOutcome.Of(ReconcileResult.Skipped);
        var current = environment.Status == EnvironmentStatus.Running && environment.CurrentDeploymentId is { } currentId
            ? await db.Deployments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == currentId, ct)
            : null;

        // Resources first, on the periodic check only (observing them means a connection to each server): a database
        // dropped behind Paddock's back is back (empty, and said so) before containers are looked at.
        var resourcesMissing = current is null || trigger != ReconcileTriggers.ResourceCheck ? 0
            : await resourceDrift.ReconcileAsync(environment, current.Id, trigger, ct);

        ObservedState observed;
        try
        {
            observed = await backend.ObserveAsync(environment.Id, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Cannot observe {Resource} on backend {Backend}: {Reason}", environment.ResourceName, backend.Name, e.Message);
            if (environment.CannotBeObserved($"backend {backend.Name} does not answer: {e.Message}")) await db.SaveChangesAsync(ct);
            return ReconcileOutcome.Of(ReconcileResult.Unreachable);
        }

        var desired = current is null ? null : new DesiredState(environment.Id, current.Id, current.Snapshot.Image, current.Snapshot.Replicas);
        var retiring = await db.Deployments.AsNoTracking()
            .Where(d => d.EnvironmentId == environment.Id && d.RetiringSince != null && d.RetiredAt == null)
            .Select(d => d.Id)
            .ToListAsync(ct);
        var plan = ReconcileDecision.Decide(desired, observed, retiring.ToHashSet());
        if (plan.NothingToDo)
        {
            if (current is not null) await SettleInSyncAsync(environment, current, ct);
            return ReconcileOutcome.Of(resourcesMissing > 0 ? ReconcileResult.Repaired : ReconcileResult.InSync);
        }
        var app = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == environment.ApplicationId, ct);
        var situation = new Situation(environment, app, backend, observed, plan, trigger);
        if (current is null) return await RemoveStraysAsync(situation, ct);
        if (!environment.SelfHeal) return await ReportDriftAsync(situation, ct);
        if (environment.StatusReason?.StartsWith(AppEnvironment.CrashLoopReasonPrefix, StringComparison.Ordinal) == true)
            return ReconcileOutcome.Of(ReconcileResult.CrashLoop);

        if (IsCrashRestart(plan))
        {
            var policy = settings.Value.CrashLoop.Policy();
            var verdict = policy.Evaluate(await RecentRestartsAsync(environment.Id, current.Id, policy.Window, ct), Now);
            if (verdict.IsCrashLoop) return await DeclareCrashLoopAsync(situation, verdict, ct);
            if (verdict.NextAttemptAt > Now)
            {
                // No repair follows now: the outage is recorded here, with its event, so the page shows it meanwhile.
                var words = $"{plan.Outage?.Describe() ?? plan.Reason}; restarting again after a back-off";
                if (environment.InstancesDown(plan.Outage?.Health ?? plan.Health, words))
                    await events.AppendAsync(environment.Id, current.Id, OutageAnnouncer.DownPhase, EventLevel.Warning, $"{Capitalised(words)}.", ct);
                return new ReconcileOutcome(ReconcileResult.BackingOff, verdict.NextAttemptAt);
            }
        }
        // Users of the URL meet the outage now, not after the repair: it is said at once, beside the repair.
        var outage = plan.Outage is { } down ? outages.Start(environment.Id, current.Id, down, ct) : Task.FromResult(false);
        try
        {
            return await RepairAsync(situation, current, outage, ct);
        }
        finally
        {
            // Never leave the announcement writing after the environment's lock is released.
            await outage;
        }
    }

    /// <summary>An instance of the deployment exited and nobody outside killed or stopped it: it crashed. An instance
    /// that failed its liveness probe counts the same (as a kubelet's restarts after liveness failures do).</summary>
    private bool IsCrashRestart(ReconcilePlan plan) =>
        plan.Actions.OfType<Replace>().Any(r => r.Instance.State == InstanceState.Unhealthy
                                                || (r.Instance.State == InstanceState.Exited && !endings.WasEndedFromOutside(r.Instance.Name)));

    /// <summary>What one reconcile works on.</summary>
    private sealed record Situation(
        AppEnvironment Environment, Application App, IRuntimeBackend Backend, ObservedState Observed, ReconcilePlan Plan, string Trigger);

    private Task<List<DateTime>> RecentRestartsAsync(Guid environmentId, Guid deploymentId, TimeSpan window, CancellationToken ct)
    {
        var since = Now - window;
        return db.EnvironmentEvents.AsNoTracking()
            .Where(e => e.EnvironmentId == environmentId && e.DeploymentId == deploymentId && e.At > since
                        && (e.Phase == RestartedPhase || e.Phase == RepairFailedPhase))
            .Select(e => e.At)
            .ToListAsync(ct);
    }

    /// <summary>Repairs through the one rollout (<see cref="EnvironmentRollout.RepairAsync"/>): the backend picks the repair's
    /// shape, the rollout applies the deployment again, routes traffic and retires the rest.</summary>
    private async Task<ReconcileOutcome> RepairAsync(Situation situation, Deployment current, Task<bool> outage, CancellationToken ct)
    {
        var (environment, app, backend, observed, plan, _) = situation;
        var steps = backend.PlanRepair(plan, current.Id);
        RepairResult repaired;
        try
        {
            repaired = await rollout.RepairAsync(new RepairRequest(backend, environment, current, observed, steps,
                token => specs.BuildAsync(current, app, environment, token), db), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not DbUpdateException and not Npgsql.NpgsqlException)
        {
            logger.LogWarning(e, "Repairing {Resource} failed", environment.ResourceName);
            return ReconcileOutcome.Of(ReconcileResult.Unreachable);
        }
        if (repaired.Failure is { } failure)
        {
            await AfterOutageAsync(outage, environment, ct);
            return await RecordFailedRepairAsync(situation, current, failure, ct);
        }

        var trafficNote = repaired.TrafficProblem is { } problem ? $"; traffic is not confirmed: {problem.TrimEnd('.')}" : "";
        var message = $"{Capitalised(steps.Description)}{trafficNote}.";
        var upstreams = repaired.Endpoints?.Select(e => $"http://{e}").ToList();
        await AfterOutageAsync(outage, environment, ct);
        var (sync, reason) = await SyncWithoutDriftAsync(environment, current, app, ct);
        environment.Observed(EnvironmentHealth.Healthy, sync, reason);
        var phase = IsCrashRestart(plan) ? RestartedPhase : steps.ApplyAgain ? RepairedPhase : CleanedPhase;
        await recorder.RecordRepairAsync(environment, app, current.Id, phase, steps.ApplyAgain ? EventLevel.Warning : EventLevel.Info, message, observed, upstreams, situation.Trigger, ct);
        logger.LogInformation("Repaired {Resource}: {Message}", environment.ResourceName, message);
        return ReconcileOutcome.Of(ReconcileResult.Repaired);
    }

    /// <summary>The repair's record comes after the outage's: waits for it (long written by now), and reads the
    /// environment again when it changed the row, whose version this copy would otherwise no longer match.</summary>
    private async Task AfterOutageAsync(Task<bool> outage, AppEnvironment environment, CancellationToken ct)
    {
        if (await outage) await db.Entry(environment).ReloadAsync(ct);
    }

    private async Task<ReconcileOutcome> RecordFailedRepairAsync(Situation situation, Deployment current, ApplyFailure failure, CancellationToken ct)
    {
        var (environment, _, _, _, plan, _) = situation;
        var message = $"{Capitalised(plan.Reason ?? "drift")}; the replacement failed: {failure.Reason}";
        if (failure.LastLogLines.Count > 0) message += $"\nLast log lines:\n{string.Join('\n', failure.LastLogLines)}";
        environment.Observed(plan.Health, EnvironmentSync.OutOfSync, $"{AppEnvironment.DriftReasonPrefix}{plan.Reason}; the replacement failed: {failure.Reason}");
        await events.AppendAsync(environment.Id, current.Id, RepairFailedPhase, EventLevel.Error, message, ct);
        var policy = settings.Value.CrashLoop.Policy();
        var verdict = policy.Evaluate(await RecentRestartsAsync(environment.Id, current.Id, policy.Window, ct), Now);
        // A crash loop is declared by the next look; the back-off decides when that is.
        return new ReconcileOutcome(ReconcileResult.RepairFailed, verdict.NextAttemptAt ?? Now);
    }

    private async Task<ReconcileOutcome> RemoveStraysAsync(Situation situation, CancellationToken ct)
    {
        var (environment, app, backend, observed, plan, trigger) = situation;
        var strays = plan.Actions.OfType<Remove>().Select(r => r.Instance).ToList();
        try
        {
            await rollout.RemoveAsync(backend, environment.Id, strays, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Removing strays of {Resource} failed: {Reason}", environment.ResourceName, e.Message);
            return ReconcileOutcome.Of(ReconcileResult.Unreachable);
        }
        var message = $"Removed {string.Join(", ", strays.Select(s => s.Name))}: no deployment of this environment runs them.";
        await recorder.RecordRepairAsync(environment, app, null, CleanedPhase, EventLevel.Info, message, observed, null, trigger, ct);
        return ReconcileOutcome.Of(ReconcileResult.Repaired);
    }

    /// <summary>Self-heal is off: the drift is shown (OutOfSync with the reason) and left as it is. One event per
    /// change of what is wrong, not one per look.</summary>
    private async Task<ReconcileOutcome> ReportDriftAsync(Situation situation, CancellationToken ct)
    {
        var (environment, _, _, _, plan, _) = situation;
        var reason = $"{AppEnvironment.DriftReasonPrefix}{plan.Reason} (self-heal is off)";
        if (environment.Observed(plan.Health, EnvironmentSync.OutOfSync, reason))
            await events.AppendAsync(environment.Id, environment.CurrentDeploymentId, DriftPhase, EventLevel.Warning,
                $"Drift found and left alone because self-heal is off: {plan.Reason}.", ct);
        return ReconcileOutcome.Of(ReconcileResult.Reported);
    }

    private async Task<ReconcileOutcome> DeclareCrashLoopAsync(Situation situation, RestartVerdict verdict, CancellationToken ct)
    {
        var (environment, _, backend, _, plan, _) = situation;
        var window = settings.Value.CrashLoop.Policy().Window;
        var lines = await LastLogLinesAsync(backend, environment.Id, ct);
        var logs = lines.Count == 0 ? "" : $"\nLast log lines:\n{string.Join('\n', lines)}";
        var summary = $"restarted {verdict.RecentRestarts} times within {Minutes(window)} and still {plan.Reason}";
        environment.Observed(EnvironmentHealth.Degraded, EnvironmentSync.OutOfSync, $"{AppEnvironment.CrashLoopReasonPrefix}{summary}{logs}");
        await events.AppendAsync(environment.Id, environment.CurrentDeploymentId, CrashLoopPhase, EventLevel.Error,
            $"Crash loop: {summary}. No more repairs until the next deployment.{logs}", ct);
        logger.LogWarning("{Resource} is crash-looping: {Summary}", environment.ResourceName, summary);
        return ReconcileOutcome.Of(ReconcileResult.CrashLoop);
    }

    private async Task<IReadOnlyList<string>> LastLogLinesAsync(IRuntimeBackend backend, Guid environmentId, CancellationToken ct)
    {
        var wanted = settings.Value.CrashLoop.LogLines;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var lines = new List<string>();
        try
        {
            await foreach (var line in backend.LogsAsync(environmentId, wanted, follow: false, timeout.Token)) lines.Add(line.Text);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogDebug(e, "No log lines for {EnvironmentId}", environmentId);
        }
        return lines.TakeLast(wanted).ToList();
    }

    /// <summary>Nothing to repair: a Healthy environment with no reason of the reconciler's stays untouched (no
    /// write at all); one that showed drift or a crash loop goes back to Healthy, with an event saying so.</summary>
    private async Task SettleInSyncAsync(AppEnvironment environment, Deployment current, CancellationToken ct)
    {
        if (environment.Health == EnvironmentHealth.Healthy && !environment.ReasonIsObserved) return;
        var app = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == environment.ApplicationId, ct);
        var (sync, reason) = await SyncWithoutDriftAsync(environment, current, app, ct);
        var wasObserved = environment.ReasonIsObserved;
        if (!environment.Observed(EnvironmentHealth.Healthy, sync, reason)) return;
        if (wasObserved)
            await events.AppendAsync(environment.Id, current.Id, InSyncPhase, EventLevel.Info, "What runs matches the current deployment again.", ct);
        else
            await db.SaveChangesAsync(ct);
    }

    /// <summary>Sync once drift is gone: "pending changes" (settings that differ from the running deployment) still
    /// count. While the reconciler's reason stood, Sync said drift, so the settings are compared again.</summary>
    private async Task<(EnvironmentSync Sync, string? Reason)> SyncWithoutDriftAsync(
        AppEnvironment environment, Deployment current, Application app, CancellationToken ct)
    {
        if (!environment.ReasonIsObserved)
            return (environment.Sync == EnvironmentSync.OutOfSync ? EnvironmentSync.OutOfSync : EnvironmentSync.InSync, environment.StatusReason);
        var pending = await specs.SettingsDifferAsync(current.Snapshot, app, environment, ct);
        return (pending ? EnvironmentSync.OutOfSync : EnvironmentSync.InSync, null);
    }

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Minutes(TimeSpan span) =>
        span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} min" : $"{span.TotalSeconds:0} s";
}
