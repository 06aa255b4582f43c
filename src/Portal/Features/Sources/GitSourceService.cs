using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Deployments;
using Paddock.Domain.Sources;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Environments;
using Paddock.Portal.Features.Workloads;

namespace Paddock.Portal.Features.Sources;

/// <summary>An environment's git source: set (after checking that the ref, the files and the workload are good at the
/// ref's head, which is then followed at once), shown with its sync state, and removed.</summary>
public sealed class GitSourceService(
    PaddockDbContext db, EnvironmentLookup lookup, GitMirror mirror, GitFollower follower, SecretProtector protector, AuditLog audit, TimeProvider clock)
{
    private const string MembersOnly = "Making an environment follow git needs the member or owner role in its team.";

    public async Task<Outcome<SourceView>> PutAsync(Caller caller, string appName, string envName, PutSourceRequest request, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;
        var (app, env, access) = target;
        if (access < TeamAccess.Manage) return Failure.Forbidden(MembersOnly);

        var errors = new FieldErrors();
        if (string.IsNullOrWhiteSpace(request.Repository)) errors.Add("repository", "Required: the id or URL of a repository registered by the team.");
        if (string.IsNullOrWhiteSpace(request.Ref)) errors.Add("ref", "Required: the branch or tag to follow, e.g. main.");
        else if (request.Ref.Length > GitSource.MaxRefLength || request.Ref.StartsWith('-') || request.Ref.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ':' or '~' or '^'))
            errors.Add("ref", $"A branch or tag name: at most {GitSource.MaxRefLength} characters, no spaces, ':', '~' or '^'.");
        errors.Add("path", CheckPath(request.Path, required: true));
        errors.Add("overridePath", CheckPath(request.OverridePath, required: false));
        if (errors.Any) return errors.ToFailure();

        var repositories = db.GitRepositories.Where(r => r.TeamId == app.TeamId);
        var repository = Guid.TryParse(request.Repository, out var id)
            ? await repositories.FirstOrDefaultAsync(r => r.Id == id, ct)
            : await repositories.FirstOrDefaultAsync(r => r.Url == request.Repository, ct);
        if (repository is null) return Failure.Invalid("repository", $"The team has no registered repository '{request.Repository}'. Register it first (POST /api/v1/teams/{{team}}/repositories).");
        var (reference, path, overridePath) = (request.Ref!, request.Path!.TrimStart('/'), request.OverridePath?.TrimStart('/'));

        // What is at the ref's head now: the ref, the files, then (when the source is stored) the workload itself.
        var credential = GitRepositoryService.CredentialOf(repository, protector);
        var (refs, unreachable) = await mirror.ListRemoteAsync(repository.Url, credential, ct);
        if (unreachable is not null) return Unprocessable("repository", $"{repository.Url} could not be reached: {unreachable}");
        if (GitMirror.Resolve(refs!, reference) is not { } refName) return Unprocessable("ref", $"'{reference}' is neither a branch nor a tag of {repository.Url}.");
        var head = refs![refName];
        if (await mirror.FetchAsync(repository, credential, new Dictionary<string, string> { [refName] = head }, ct) is { } fetchError)
            return Unprocessable("repository", $"{repository.Url} could not be fetched: {fetchError}");
        if ((await mirror.ReadFileAsync(repository.Id, head, path, ct)).Error is { } missing) return Unprocessable("path", missing);
        if (overridePath is not null && (await mirror.ReadFileAsync(repository.Id, head, overridePath, ct)).Error is { } missingOverride)
            return Unprocessable("overridePath", missingOverride);

        var now = clock.GetUtcNow().UtcDateTime;
        var source = await db.GitSources.FirstOrDefaultAsync(s => s.EnvironmentId == env.Id, ct);
        var before = source is null ? null
            : new { source.RepositoryId, source.Ref, source.Path, source.OverridePath, source.AutoApply, source.AllowStatefulDeletes, source.AllowEdits };
        var isNew = source is null;
        source ??= new GitSource(env.Id, app.Id, caller.Actor.Id, now);
        if (isNew) db.GitSources.Add(source);
        source.Follow(repository.Id, reference, path, overridePath, request.AutoApply ?? false, request.AllowStatefulDeletes ?? false, request.AllowEdits ?? false);
        await audit.SaveChangesAsync(caller.Audit(isNew ? "source.followed" : "source.updated", "git_source", env.Id.ToString(), app.TeamId, app.Id, before,
            new { repositoryId = repository.Id, repository.Url, reference, path, overridePath, source.AutoApply, source.AllowStatefulDeletes, source.AllowEdits, head }), ct);

        await follower.SyncRepositoryAsync(repository.Id, ct, env.Id);
        db.ChangeTracker.Clear();
        var followed = await db.GitSources.AsNoTracking().FirstAsync(s => s.EnvironmentId == env.Id, ct);
        if (followed.Error is { } error && followed.HeadSha == head && followed.Applied is null && followed.Next is null)
        {
            // The first commit does not validate: nothing was followed yet, so the environment does not follow it.
            if (isNew) await db.GitSources.Where(s => s.EnvironmentId == env.Id).ExecuteDeleteAsync(ct);
            return Unprocessable("path", error);
        }
        return await ViewAsync(app.Name.Value, env.Name.Value, followed, ct);
    }

    public async Task<Outcome<SourceView>> GetAsync(Caller caller, string appName, string envName, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;
        var source = await db.GitSources.AsNoTracking().FirstOrDefaultAsync(s => s.EnvironmentId == target.Env.Id, ct);
        if (source is null) return Failure.NotFound($"A git source of '{envName}' of '{appName}'");
        return await ViewAsync(target.App.Name.Value, target.Env.Name.Value, source, ct);
    }

    public async Task<Outcome<SourceView>> DeleteAsync(Caller caller, string appName, string envName, CancellationToken ct)
    {
        var (target, notFound) = await lookup.FindAsync(caller, appName, envName, ct);
        if (target is null) return notFound!;
        if (target.Access < TeamAccess.Manage) return Failure.Forbidden(MembersOnly);
        var source = await db.GitSources.FirstOrDefaultAsync(s => s.EnvironmentId == target.Env.Id, ct);
        if (source is null) return Failure.NotFound($"A git source of '{envName}' of '{appName}'");
        var view = await ViewAsync(target.App.Name.Value, target.Env.Name.Value, source, ct);
        db.GitSources.Remove(source);
        await audit.SaveChangesAsync(caller.Audit("source.unfollowed", "git_source", target.Env.Id.ToString(), target.App.TeamId, target.App.Id,
            new { source.RepositoryId, source.Ref, source.Path, source.OverridePath, source.AutoApply }, null), ct);
        return view;
    }

    /// <summary>The source with the commit the environment runs and whether that agrees with git.</summary>
    private async Task<SourceView> ViewAsync(string app, string env, GitSource source, CancellationToken ct)
    {
        var url = await db.GitRepositories.Where(r => r.Id == source.RepositoryId).Select(r => r.Url).FirstAsync(ct);
        var currentId = await db.Environments.Where(e => e.Id == source.EnvironmentId).Select(e => e.CurrentDeploymentId).FirstOrDefaultAsync(ct);
        var running = currentId is null ? null : await db.DeploymentCommits.AsNoTracking().FirstOrDefaultAsync(c => c.DeploymentId == currentId, ct);
        var appliedDeployment = source.AppliedDeploymentId is { } appliedId
            ? await db.Deployments.AsNoTracking().Where(d => d.Id == appliedId).Select(d => new { d.Revision, d.Status, d.FailureReason }).FirstOrDefaultAsync(ct)
            : null;
        var runningCommit = running is null ? null
            : source.Applied is { } appliedCommit && appliedCommit.Sha == running.Sha ? CommitView.Of(appliedCommit)
            : new CommitView(running.Sha, running.Message, running.Author, default);
        // A commit that changed nothing runs in the deployment of the commit before it.
        if (source.Applied is { } applied && currentId is not null && currentId == source.AppliedDeploymentId) runningCommit = CommitView.Of(applied);

        var (state, reason) = (SyncState.Synced, (string?)null);
        if (source.Error is { } error) (state, reason) = (SyncState.Error, error);
        else if (source.HeadSha is null) (state, reason) = (SyncState.OutOfSync, "The branch has not been looked at yet.");
        else if (source.Next is { } next) (state, reason) = (SyncState.OutOfSync, await WaitingReasonAsync(source, next, ct));
        else if (appliedDeployment is { Status: DeploymentStatus.Failed } failed)
            (state, reason) = (SyncState.Error, $"The deployment of commit {GitMirror.Short(source.Applied!.Sha)} failed: {failed.FailureReason}");
        else if (appliedDeployment is not null && currentId != source.AppliedDeploymentId && !appliedDeployment.Status.IsTerminal())
            (state, reason) = (SyncState.OutOfSync, $"Commit {GitMirror.Short(source.Applied!.Sha)} is being deployed (revision {appliedDeployment.Revision}).");
        else if (source.AppliedDeploymentId is not null && currentId != source.AppliedDeploymentId)
            (state, reason) = (SyncState.Drifted, $"The environment runs a deployment made outside git, not commit {GitMirror.Short(source.Applied!.Sha)}.");
        else if (source.Applied?.Sha != source.HeadSha) (state, reason) = (SyncState.OutOfSync, $"The branch is at {GitMirror.Short(source.HeadSha)}.");

        var nextView = source is { Next: { } n, NextPlanId: { } planId } ? new NextCommitView(CommitView.Of(n)!, planId, PlanView.UrlOf(planId)) : null;
        return new SourceView(app, env, source.RepositoryId, url, source.Ref, source.Path, source.OverridePath, source.AutoApply,
            source.AllowStatefulDeletes, source.AllowEdits, runningCommit,
            source.HeadSha, nextView, state, reason, source.CheckedAt, source.CreatedBy, source.CreatedAt);
    }

    /// <summary>Why a planned commit waits: nobody applied it yet, or (with autoApply) the policy kept it for a person.</summary>
    private async Task<string> WaitingReasonAsync(GitSource source, GitCommitInfo next, CancellationToken ct)
    {
        var waits = $"Commit {GitMirror.Short(next.Sha)} is planned and waits to be applied";
        if (!source.AutoApply || source.AllowStatefulDeletes || source.NextPlanId is not { } planId) return waits + ".";
        var items = await db.DeploymentPlans.AsNoTracking().Where(p => p.Id == planId).Select(p => p.Items).FirstOrDefaultAsync(ct);
        var dataLoss = items is null ? [] : PlanItems.Read(items).Resources.Where(r => r.DataLoss).Select(r => $"{r.Name} ({r.Type})").ToList();
        return dataLoss.Count == 0 ? waits + "."
            : $"{waits} by a person: it deletes the data of {string.Join(", ", dataLoss)}, and automatic applies of this environment " +
              "may not delete stateful resources (allowStatefulDeletes: false).";
    }

    private static string? CheckPath(string? path, bool required)
    {
        if (path is null) return required ? "Required: the path of the Score workload file in the repository, e.g. score.yaml." : null;
        if (path.Length is 0 or > GitSource.MaxPathLength) return $"A path of 1 to {GitSource.MaxPathLength} characters.";
        if (path.Any(char.IsControl) || path.Split('/').Any(part => part is ".." or ".")) return "A path inside the repository, without '..' or control characters.";
        return null;
    }

    private static Failure Unprocessable(string field, string message) =>
        new(OutcomeKind.Invalid, GitRepositoryService.Unprocessable, new Dictionary<string, string[]> { [field] = [message] });
}
