using Microsoft.Extensions.Options;
using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Domain.Reconciliation;
using Paddock.Persistence;

namespace Paddock.Workers.Rollout;

/// <summary>The one way Paddock makes a backend match a deployment, shared by the deploy job, the reconciler's repairs
/// and teardown: <b>apply</b> (the backend starts the instances next to the old ones and probes each) →
/// <b>route traffic</b> (the backend's traffic seam, <see cref="TrafficRouters"/>: Paddock's edge, or the backend's own
/// Ingress) → <b>retire the rest</b>. Teardown is the same path with nothing to apply: retire everything, stop routing.
/// Whether a deployment may go ahead, and what its status becomes, is the deployment's state machine
/// (<c>DeploymentTransitions</c>), never this.</summary>
public sealed class EnvironmentRollout(TrafficRouters routers, RetirementRunner retirements, IOptions<DeploySettings> settings, TimeProvider clock)
{
    /// <summary>Applies the deployment with its secret values redacted from every event and failure. An unreachable
    /// engine is often a restart away: with <paramref name="retryUnreachable"/>, the apply is tried again with
    /// doubling pauses within <see cref="DeploySettings.EngineRetrySeconds"/>, each retry said through
    /// <paramref name="onRetry"/>.</summary>
    public async Task<ApplyResult> ApplyAsync(IRuntimeBackend backend, WorkloadSpec spec, IProgress<BackendEvent> progress,
        bool retryUnreachable, Func<string, Task>? onRetry, CancellationToken ct)
    {
        var budget = retryUnreachable ? TimeSpan.FromSeconds(settings.Value.EngineRetrySeconds) : TimeSpan.Zero;
        var started = clock.GetUtcNow();
        var pause = TimeSpan.FromSeconds(1);
        while (true)
        {
            var result = await backend.ApplyRedactedAsync(spec, progress, ct);
            if (result.Failure is not { Kind: ApplyFailureKind.EngineUnreachable } failure || !retryUnreachable) return result;
            var remaining = budget - (clock.GetUtcNow() - started);
            if (remaining <= TimeSpan.Zero)
                return ApplyResult.Failed(ApplyFailureKind.EngineUnreachable, $"engine unreachable: {failure.Reason}");
            var wait = pause < remaining ? pause : remaining;
            if (onRetry is not null) await onRetry($"The engine is unreachable; trying again in {wait.TotalSeconds:0.#}s. {failure.Reason}");
            await Task.Delay(wait, clock, ct);
            pause *= 2;
        }
    }

    /// <summary>Sends the environment's traffic to the applied instances through the backend's traffic seam and proves
    /// the stable URL answers. <paramref name="context"/> carries the edge's route writes.</summary>
    public Task<RouteResult> RouteAsync(IRuntimeBackend backend, PaddockDbContext context, RouteRequest request, CancellationToken ct) =>
        routers.For(backend, context).RouteAsync(request, ct);

    /// <summary>Retires a deployment that no longer serves, in the background, off the environment's lock: its
    /// instances drain and stop within their grace period (<see cref="Retirement"/>).</summary>
    public void RetireInBackground(Guid deploymentId) => retirements.Start(deploymentId);

    /// <summary>After a deployment failed or stopped: only the deployment that serves the environment keeps instances
    /// (none when nothing served yet).</summary>
    public Task RemoveAllButAsync(IRuntimeBackend backend, Guid environmentId, Guid? servingDeploymentId, CancellationToken ct) =>
        backend.RemoveOthersAsync(environmentId, servingDeploymentId ?? Guid.Empty, ct);

    /// <summary>Repairs drift of the deployment that serves, in the shape the backend picked
    /// (<see cref="IRuntimeBackend.PlanRepair"/>): remove what must go first → apply again (probe) → route → retire the
    /// rest. A repair never puts back an earlier route: what served before is gone or going.</summary>
    public async Task<RepairResult> RepairAsync(RepairRequest request, CancellationToken ct)
    {
        var (backend, environment, current, steps) = (request.Backend, request.Environment, request.Current, request.Steps);
        if (steps.RemoveFirst.Count > 0) await RemoveAsync(backend, environment.Id, steps.RemoveFirst, ct);

        IReadOnlyList<HostEndpoint>? endpoints = null;
        Uri? backendUrl = null;
        var healthCheck = current.Snapshot.HealthCheck;
        if (steps.ApplyAgain)
        {
            var spec = await request.Spec(ct);
            var applied = await ApplyAsync(backend, spec, new Progress<BackendEvent>(), retryUnreachable: false, onRetry: null, ct);
            if (applied.Failure is { } failure) return new RepairResult(failure, null, null);
            endpoints = applied.Instances.Select(i => i.Endpoint).ToList();
            backendUrl = applied.PublicUrl;
            healthCheck = spec.HealthCheck;
        }
        else if (steps.Reroute)
        {
            // Traffic leaves the surplus instances before they go.
            var leaving = steps.RemoveAfter.Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
            endpoints = request.Observed.Instances
                .Where(i => i.DeploymentId == current.Id && i.State == InstanceState.Running && i.Endpoint is not null && !leaving.Contains(i.Id))
                .Select(i => i.Endpoint!)
                .ToList();
        }

        string? trafficProblem = null;
        if (steps.Reroute && endpoints is { Count: > 0 })
        {
            var routed = await RouteAsync(backend, request.Context, new RouteRequest
            {
                EnvironmentId = environment.Id,
                ResourceName = environment.ResourceName,
                DeploymentId = current.Id,
                Revision = current.Revision,
                Endpoints = endpoints,
                HealthCheck = healthCheck,
                BackendUrl = backendUrl,
                GoesLive = false,
            }, ct);
            if (routed.Outcome == RouteOutcome.Failed) trafficProblem = routed.Reason;
        }

        if (steps.RemoveAfter.Count > 0) await RemoveAsync(backend, environment.Id, steps.RemoveAfter, ct);
        return new RepairResult(null, endpoints, trafficProblem);
    }

    /// <summary>Removes single instances now: a repair's drifted and surplus ones, strays of no deployment.</summary>
    public Task RemoveAsync(IRuntimeBackend backend, Guid environmentId, IReadOnlyCollection<ObservedInstance> instances, CancellationToken ct) =>
        backend.RemoveInstancesAsync(environmentId, instances.Select(i => i.Id).ToList(), ct);

    /// <summary>Teardown's rollout to nothing, first half: every instance of the environment and what the backend made
    /// for it go, retiring ones included.</summary>
    public Task RetireEverythingAsync(IRuntimeBackend backend, AppEnvironment environment, CancellationToken ct) =>
        backend.TearDownAsync(environment.Id, environment.ResourceName, ct);

    /// <summary>Teardown's second half: nothing routes to the environment any more. <paramref name="backend"/> is null
    /// when the environment's backend is no longer configured; joins <paramref name="context"/>'s transaction.</summary>
    public Task UnrouteAsync(IRuntimeBackend? backend, PaddockDbContext context, Guid environmentId, CancellationToken ct) =>
        routers.For(backend, context).UnrouteAsync(environmentId, ct);
}

/// <summary>A repair of <see cref="Current"/> (the deployment that serves <see cref="Environment"/>) in
/// <see cref="Steps"/>' shape; <see cref="Spec"/> builds the workload when the deployment is applied again.</summary>
public sealed record RepairRequest(
    IRuntimeBackend Backend,
    AppEnvironment Environment,
    Deployment Current,
    ObservedState Observed,
    RepairSteps Steps,
    Func<CancellationToken, Task<WorkloadSpec>> Spec,
    PaddockDbContext Context);

/// <summary>What a repair did: the apply's failure (nothing was routed or retired then), else the endpoints traffic
/// goes to when it was re-routed, and why the stable URL was not confirmed, if it was not.</summary>
public sealed record RepairResult(ApplyFailure? Failure, IReadOnlyList<HostEndpoint>? Endpoints, string? TrafficProblem);
