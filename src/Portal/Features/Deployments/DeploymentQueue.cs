using Hangfire.Common;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Applications;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Persistence;
using Paddock.Persistence.Events;
using Paddock.Jobs;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Features.Workloads;

namespace Paddock.Portal.Features.Deployments;

/// <summary>The steps every way of starting a deployment shares (creating an environment, deploying, redeploying):
/// freeze the snapshot with its pinned secret versions, add the Queued row with the next revision and its "queued"
/// event, all inside the caller's transaction; then, once committed, hand the id to the workers.</summary>
public sealed class DeploymentQueue(PaddockDbContext db, EnvironmentEventLog events, JobEnqueuer jobs, ILogger<DeploymentQueue> logger)
{
    public const string QueuedPhase = "queued";

    /// <summary>The app's and the environment's settings as they are in the database now, with the latest
    /// (not removed) version of each of their secrets and of their registry credentials, and the provisioned resources
    /// of <paramref name="workload"/> (the app's current workload) with the variables that take their outputs.</summary>
    public async Task<DeploymentSnapshot> SnapshotAsync(Application app, AppEnvironment env, WorkloadProjection workload, CancellationToken ct) =>
        WithResourcesOf(DeploymentSnapshot.Of(app, env, await PinnedSecretsAsync(app.Id, env.Id, ct),
            registry: await db.CurrentRegistryCredentialsAsync(app.Id, env.Id, ct)), workload);

    /// <summary>The snapshot with the workload's provisioned resources and the variables that take their outputs.</summary>
    public static DeploymentSnapshot WithResourcesOf(DeploymentSnapshot snapshot, WorkloadProjection workload) => snapshot with
    {
        Resources = workload.Resources.Count == 0 ? null : workload.Resources,
        ResourceVariables = workload.ResourceVariables.Count == 0 ? null
            : new SortedDictionary<string, string>(workload.ResourceVariables.ToDictionary(), StringComparer.Ordinal),
        Volumes = workload.Volumes.Count == 0 ? null : workload.Volumes,
        Files = workload.Files.Count == 0 ? null : workload.Files,
        Probes = workload.Probes.Count == 0 ? null : workload.Probes,
    };

    public async Task<List<PinnedSecret>> PinnedSecretsAsync(Guid applicationId, Guid environmentId, CancellationToken ct)
    {
        var versions = await db.SecretVersions.AsNoTracking()
            .Where(s => s.ApplicationId == applicationId && (s.EnvironmentId == null || s.EnvironmentId == environmentId))
            .Select(s => new { s.Id, s.EnvironmentId, s.Name, s.Version, Removed = s.Ciphertext == null })
            .ToListAsync(ct);
        return versions
            .GroupBy(s => (s.EnvironmentId, s.Name))
            .Select(g => g.MaxBy(s => s.Version)!)
            .Where(s => !s.Removed)
            .Select(s => new PinnedSecret(s.Name, s.Id, s.Version, s.EnvironmentId is not null))
            .ToList();
    }

    /// <summary>After a settings change (saved, not yet committed): marks each environment OutOfSync when what it
    /// would deploy now differs from what its current deployment runs, InSync when the change brought them back together.</summary>
    public async Task RecheckSyncAsync(Application app, WorkloadProjection workload, IReadOnlyCollection<AppEnvironment> environments, CancellationToken ct)
    {
        var currentIds = environments.Where(e => e.CurrentDeploymentId is not null).Select(e => e.CurrentDeploymentId!.Value).ToList();
        if (currentIds.Count == 0) return;
        var current = await db.Deployments.AsNoTracking().Where(d => currentIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        foreach (var env in environments)
        {
            if (env.CurrentDeploymentId is not { } id || !current.TryGetValue(id, out var running)) continue;
            var wanted = await SnapshotAsync(app, env, workload, ct);
            env.SettingsChanged(!wanted.SameSettingsAs(running.Snapshot));
        }
    }

    /// <summary>Adds the Queued deployment and its "queued" event. Call inside a transaction: the event log saves
    /// the context's pending changes (the deployment and the environment's revision counter) as it appends.</summary>
    public async Task<Deployment> AddAsync(NewDeployment request, DateTime now, CancellationToken ct)
    {
        var (env, snapshot, actor, redeployOf) = (request.Environment, request.Snapshot, request.Actor, request.RedeployOf);
        var deployment = new Deployment(env.Id, env.ApplicationId, env.NextRevision(), snapshot, actor.Id, actor.Name,
            request.Tickets, request.Message, redeployOf?.Id, request.IdempotencyKey, now, request.Id);
        deployment.RunsRevision(request.WorkloadRevisionId);
        db.Deployments.Add(deployment);
        var what = redeployOf is null ? $"Revision {deployment.Revision} queued" : $"Revision {deployment.Revision} queued, redeploying revision {redeployOf.Revision}";
        await events.AppendAsync(env.Id, deployment.Id, QueuedPhase, EventLevel.Info, $"{what}: {snapshot.Image} by {actor.Name}.", ct);
        return deployment;
    }

    /// <summary>Hands a committed deployment to the workers. A failure here loses nothing: the workers' sweeper
    /// re-enqueues Queued deployments that have no job.</summary>
    public Task EnqueueAsync(Guid deploymentId) =>
        CreateAsync(Job.FromExpression<IEnvironmentJobs>(j => j.DeployAsync(deploymentId, CancellationToken.None)), "deploy", deploymentId);

    /// <summary>Runs <paramref name="addAndCommit"/> (which adds and commits the deployment with the id it is given)
    /// and hands the deployment to the workers meanwhile, before its commit: the job's pick-up then overlaps the rest
    /// of the request instead of following it. A job that arrives first waits for the row (<c>DeployJob</c>); if the
    /// transaction rolls back, it finds none and ends. Answers once both are done.</summary>
    public async Task<T> HandOverWhileAsync<T>(Func<Guid, Task<T>> addAndCommit)
    {
        var deploymentId = Guid.CreateVersion7();
        var handedOver = EnqueueAsync(deploymentId); // never faults: a failure is logged and left to the sweeper
        try
        {
            return await addAndCommit(deploymentId);
        }
        finally
        {
            await handedOver;
        }
    }

    public Task EnqueueTearDownAsync(Guid environmentId) =>
        CreateAsync(Job.FromExpression<IEnvironmentJobs>(j => j.TearDownAsync(environmentId, CancellationToken.None)), "teardown", environmentId);

    private async Task CreateAsync(Job job, string what, Guid id)
    {
        try
        {
            await jobs.EnqueueAsync(job, JobStorageSetup.DeployQueue);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not enqueue the {What} job for {Id}; the workers' sweeper will pick it up", what, id);
        }
    }
}
