using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Environments;
using Paddock.Domain.Sources;
using Paddock.Domain.Deployments;
using Paddock.Persistence;
using Paddock.Persistence.Events;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Deployments;
using Paddock.Portal.Features.Tickets;
using Paddock.Portal.Features.Workloads;
using Paddock.Workloads.Source;

namespace Paddock.Portal.Features.Sources;

/// <summary>
/// Brings the environments that follow one repository up to its refs' heads, through the same path a person takes:
/// for each environment whose ref moved, the workload (and override) at the new commit, with the files it names as
/// <c>source</c> read at that commit (<see cref="GitWorkloadFiles"/>), is planned by
/// <see cref="PlanService"/> and, with <c>autoApply</c>, that plan is applied (a workload revision and a deployment
/// that records its commit); otherwise the plan waits as the environment's next commit. A commit whose files are
/// missing or invalid changes nothing that runs: the error, naming file, line and commit, is kept on the source.
/// One <c>ls-remote</c> and at most one fetch per repository, whatever number of environments follow it.
/// Every change of what a source shows (a new commit planned, applied or failing) is saved together with an environment
/// event in phase <see cref="Phase"/>, whose <c>NOTIFY</c> brings open environment pages up to date.
/// </summary>
public sealed class GitFollower(
    PaddockDbContext db, GitMirror mirror, SecretProtector protector, PlanService plans, OverrideService overrides, TicketRegistry tickets,
    EnvironmentEventLog events, TimeProvider clock, ILogger<GitFollower> logger)
{
    /// <summary>The phase of the environment events the follower writes.</summary>
    public const string Phase = "git";

    /// <summary>Who plans and applies commits in the audit trail. Edits by anyone else are refused on followed environments.</summary>
    public static readonly Actor Actor = new(ActorKind.System, "system:git", "git");

    private static readonly Caller GitCaller = new(Actor, null, null);

    /// <summary>Looks at the repository's refs and follows every environment on it; one environment only with <paramref name="onlyEnvironment"/>.</summary>
    public async Task SyncRepositoryAsync(Guid repositoryId, CancellationToken ct, Guid? onlyEnvironment = null)
    {
        var repository = await db.GitRepositories.FirstOrDefaultAsync(r => r.Id == repositoryId, ct);
        if (repository is null) return;
        // An environment being deleted (or gone) no longer follows anything.
        await db.GitSources.Where(s => s.RepositoryId == repositoryId
                && !db.Environments.Any(e => e.Id == s.EnvironmentId && e.DeletedAt == null && e.Status != EnvironmentStatus.Deleting))
            .ExecuteDeleteAsync(ct);
        var sources = await db.GitSources.Where(s => s.RepositoryId == repositoryId && (onlyEnvironment == null || s.EnvironmentId == onlyEnvironment))
            .OrderBy(s => s.CreatedAt).ToListAsync(ct);
        if (sources.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var credential = GitRepositoryService.CredentialOf(repository, protector);

        var (refs, unreachable) = await mirror.ListRemoteAsync(repository.Url, credential, ct);
        if (unreachable is not null)
        {
            repository.Fetched(now, unreachable);
            await db.SaveChangesAsync(ct);
            foreach (var source in sources) await FailUnreadAsync(source, $"{repository.Url} could not be reached: {unreachable}", now, ct);
            return;
        }
        var heads = new Dictionary<GitSource, (string Name, string Sha)>();
        var missingRefs = new List<GitSource>();
        foreach (var source in sources)
        {
            if (GitMirror.Resolve(refs!, source.Ref) is { } name) heads[source] = (name, refs![name]);
            else missingRefs.Add(source);
        }
        var fetchError = heads.Count == 0 ? null
            : await mirror.FetchAsync(repository, credential, heads.Values.DistinctBy(h => h.Name).ToDictionary(h => h.Name, h => h.Sha), ct);
        repository.Fetched(now, fetchError);
        await db.SaveChangesAsync(ct);
        foreach (var source in missingRefs) await FailUnreadAsync(source, $"The ref '{source.Ref}' does not exist in {repository.Url}.", now, ct);
        if (fetchError is not null)
        {
            foreach (var source in heads.Keys) await FailUnreadAsync(source, $"{repository.Url} could not be fetched: {fetchError}", now, ct);
            return;
        }

        foreach (var (source, head) in heads)
        {
            try
            {
                await FollowAsync(repository, source, head.Sha, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Following {Ref} of {Repository} for environment {Environment} failed", source.Ref, repository.Id, source.EnvironmentId);
                db.ChangeTracker.Clear();
                var reloaded = await db.GitSources.FirstAsync(s => s.EnvironmentId == source.EnvironmentId, ct);
                var error = $"Following commit {GitMirror.Short(head.Sha)} failed unexpectedly: {e.Message}";
                reloaded.Failed(head.Sha, error, now);
                await events.AppendAsync(source.EnvironmentId, null, Phase, EventLevel.Error, error, ct);
            }
        }
    }

    /// <param name="planAgainOnConflict">An apply refused because the environment moved on since the plan was made
    /// moments ago (a deployment finishing) is planned and applied once more on what runs now, not left as an error
    /// until the next commit.</param>
    private async Task FollowAsync(GitRepository repository, GitSource source, string head, CancellationToken ct, bool planAgainOnConflict = true)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await NoticeAppliedPlanAsync(source, ct);
        if (source.HeadSha == head)
        {
            source.Unchanged(now);
            await db.SaveChangesAsync(ct);
            return;
        }
        var target = await db.Environments.Where(e => e.Id == source.EnvironmentId)
            .Join(db.Applications, e => e.ApplicationId, a => a.Id, (e, a) => new { App = a.Name, Env = e.Name, a.TeamId }).FirstAsync(ct);
        var (app, env) = (target.App.Value, target.Env.Value);
        var commits = await mirror.CommitsAsync(repository.Id, source.Applied?.Sha, head, ct);
        var commit = (commits.Count > 0 ? commits[0] : null) ?? new GitCommitInfo(head, "", "", now);
        var at = $"commit {GitMirror.Short(head)}";

        var workload = await mirror.ReadFileAsync(repository.Id, head, source.Path, ct);
        if (workload.Error is not null)
        {
            await FailAsync(source, head, workload.Error, now, ct);
            return;
        }
        if (source.OverridePath is { } overridePath)
        {
            var file = await mirror.ReadFileAsync(repository.Id, head, overridePath, ct);
            if (file.Error is not null)
            {
                await FailAsync(source, head, file.Error, now, ct);
                return;
            }
            var put = await overrides.PutAsync(GitCaller, app, env, file.Text!, null, false, ct);
            if (put.WorkloadErrors is { } overrideErrors)
            {
                await FailAsync(source, head, Describe(overridePath, overrideErrors, at), now, ct);
                return;
            }
            if (!put.Outcome.IsOk)
            {
                await FailAsync(source, head, $"{overridePath} at {at}: {put.Outcome.Message}", now, ct);
                return;
            }
        }

        var (text, sourceErrors) = await GitWorkloadFiles.InlineAsync(mirror, repository.Id, head, source.Path, workload.Text!, ct);
        if (text is null)
        {
            await FailAsync(source, head, Describe(source.Path, sourceErrors, at), now, ct);
            return;
        }
        var planned = await plans.PlanAsync(GitCaller, app, env, text, ct);
        if (planned.WorkloadErrors is { } errors)
        {
            await FailAsync(source, head, Describe(source.Path, errors, at), now, ct);
            return;
        }
        if (!planned.Outcome.IsOk)
        {
            await FailAsync(source, head, $"{source.Path} at {at} could not be planned: {planned.Outcome.Message}", now, ct);
            return;
        }
        var plan = planned.Outcome.Value!;
        var deployed = await db.Environments.Where(e => e.Id == source.EnvironmentId).Select(e => e.CurrentDeploymentId).FirstAsync(ct);
        if (plan.ToAdd + plan.ToChange + plan.ToDestroy == 0 && deployed is not null && source.Applied is not null)
        {
            // Nothing the environment runs changes (a commit to another file, a comment): the commit is what runs now.
            source.AppliedCommit(commit, null, now);
            await events.AppendAsync(source.EnvironmentId, null, Phase, EventLevel.Info, $"{Describe(commit)} changes nothing that runs.", ct);
            logger.LogInformation("Commit {Sha} of {Repository} changes nothing in {App}/{Environment}", head, repository.Url, app, env);
            return;
        }
        if (!source.AutoApply)
        {
            source.Planned(commit, plan.Id, now);
            await events.AppendAsync(source.EnvironmentId, null, Phase, EventLevel.Info,
                $"{Describe(commit)} is planned ({plan.Summary}) and waits to be applied.", ct);
            logger.LogInformation("Commit {Sha} of {Repository} planned for {App}/{Environment}: {Summary}, waiting to be applied", head, repository.Url, app, env, plan.Summary);
            return;
        }
        var dataLoss = plan.Resources.Where(r => r.DataLoss).Select(r => r.Name).ToArray();
        if (dataLoss.Length > 0 && !source.AllowStatefulDeletes)
        {
            // The policy: an automatic apply never deletes data; a person looks at this plan and applies it.
            source.Planned(commit, plan.Id, now);
            await events.AppendAsync(source.EnvironmentId, null, Phase, EventLevel.Warning,
                $"{Describe(commit)} is planned and waits for a person: it deletes the data of {string.Join(", ", dataLoss)}.", ct);
            logger.LogWarning("Commit {Sha} of {Repository} deletes the data of {Resources} in {App}/{Environment}: waiting for a person to apply it",
                head, repository.Url, string.Join(", ", dataLoss), app, env);
            return;
        }

        // Tickets named in the new commits' messages flow into the delivery measures, as the push webhook's do.
        var keys = await tickets.KeysForAsync(target.TeamId, ct);
        var facts = TicketRegistry.FromCommits(keys, commits.Select(c => new CommitInfo(c.Sha, c.Message, c.CommittedAt)), source.Ref);
        await tickets.RecordAsync(target.TeamId, facts, "git", ct);
        var message = $"{GitMirror.Short(head)} {FirstLine(commit.Message)}";
        var note = new ApplyNote(facts.Select(f => f.Key.ToUpperInvariant()).Distinct().Take(DeployRequest.MaxTickets).ToArray(),
            message.Length > DeployRequest.MaxMessageLength ? message[..DeployRequest.MaxMessageLength] : message,
            ConfirmDataLoss: dataLoss); // only non-empty when the source allows stateful deletes
        var applied = await plans.ApplyAsync(GitCaller, plan.Id, note, ct);
        if (!applied.IsOk && applied.Kind == OutcomeKind.Conflict && planAgainOnConflict)
        {
            logger.LogInformation("The plan of commit {Sha} for {App}/{Environment} went out of date while it was applied: planning it again ({Reason})",
                head, app, env, applied.Message);
            await FollowAsync(repository, source, head, ct, planAgainOnConflict: false);
            return;
        }
        if (!applied.IsOk)
        {
            await FailAsync(source, head, $"The plan of {at} could not be applied: {applied.Message}", now, ct);
            return;
        }
        db.DeploymentCommits.Add(new DeploymentCommit(applied.Value!.Id, repository.Id, commit));
        source.AppliedCommit(commit, applied.Value.Id, now);
        await events.AppendAsync(source.EnvironmentId, applied.Value.Id, Phase, EventLevel.Info,
            $"{Describe(commit)} is applied: deployment #{applied.Value.Revision}.", ct);
        logger.LogInformation("Commit {Sha} of {Repository} applied to {App}/{Environment} as deployment {Deployment}", head, repository.Url, app, env, applied.Value.Id);
    }

    /// <summary>When someone applied the waiting plan, its commit is what runs now (and its deployment records it).</summary>
    private async Task NoticeAppliedPlanAsync(GitSource source, CancellationToken ct)
    {
        if (source is not { NextPlanId: { } planId, Next: { } next }) return;
        var deploymentId = await db.DeploymentPlans.Where(p => p.Id == planId).Select(p => p.DeploymentId).FirstOrDefaultAsync(ct);
        if (deploymentId is null) return;
        if (!await db.DeploymentCommits.AnyAsync(c => c.DeploymentId == deploymentId, ct))
            db.DeploymentCommits.Add(new DeploymentCommit(deploymentId.Value, source.RepositoryId, next));
        source.AppliedCommit(next, deploymentId, clock.GetUtcNow().UtcDateTime);
        await events.AppendAsync(source.EnvironmentId, deploymentId, Phase, EventLevel.Info, $"{Describe(next)} was applied by a person.", ct);
    }

    private async Task FailAsync(GitSource source, string head, string error, DateTime now, CancellationToken ct)
    {
        db.ChangeTracker.Entries().Where(e => e.Entity is not GitSource && e.State != EntityState.Unchanged).ToList()
            .ForEach(e => e.State = e.State == EntityState.Added ? EntityState.Detached : EntityState.Unchanged);
        var text = error.Length > 4000 ? error[..4000] : error;
        source.Failed(head, text, now);
        await events.AppendAsync(source.EnvironmentId, null, Phase, EventLevel.Error, text, ct);
        logger.LogWarning("Following {Ref} for environment {Environment}: {Error}", source.Ref, source.EnvironmentId, error);
    }

    /// <summary>The repository or the ref could not be read: told once (the page and the timeline), not at every poll.</summary>
    private async Task FailUnreadAsync(GitSource source, string error, DateTime now, CancellationToken ct)
    {
        var news = source.Error != error;
        source.Failed(null, error, now);
        if (news) await events.AppendAsync(source.EnvironmentId, null, Phase, EventLevel.Error, error, ct);
        else await db.SaveChangesAsync(ct);
    }

    /// <summary>A commit as the timeline names it: short sha, first line, author.</summary>
    private static string Describe(GitCommitInfo commit)
    {
        var title = FirstLine(commit.Message);
        return $"Commit {GitMirror.Short(commit.Sha)} \"{(title.Length > 200 ? title[..200] + "…" : title)}\" by {commit.Author}";
    }

    /// <summary>Every error as <c>file:line:column: message</c>, and the commit.</summary>
    public static string Describe(string path, IEnumerable<WorkloadError> errors, string at) =>
        string.Join(" ", errors.Select(e => e.Position is { } p ? $"{path}:{p.Line}:{p.Column}: {e.Message}" : $"{path}: {e.Message}")) + $" (at {at})";

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
