using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Access;
using Paddock.Domain.Sources;
using Paddock.Persistence;
using Paddock.Persistence.Audit;
using Paddock.Persistence.Secrets;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;

namespace Paddock.Portal.Features.Sources;

/// <summary>A team's registered repositories: registered (after <c>git ls-remote</c> reached them with the credential)
/// and deleted by its members, listed for anyone in the team, never with their credential.</summary>
public sealed class GitRepositoryService(PaddockDbContext db, AccessQueries access, GitMirror mirror, SecretProtector protector, AuditLog audit, TimeProvider clock)
{
    private const string MembersOnly = "Managing a team's repositories needs the member or owner role.";

    /// <summary>The message of a request that is well formed but that the remote refused (422 in the API).</summary>
    public const string Unprocessable = "The repository could not be used.";

    public async Task<Outcome<GitRepositoryView>> RegisterAsync(Caller caller, string teamName, RegisterRepositoryRequest request, CancellationToken ct)
    {
        var (team, teamAccess) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        if (teamAccess < TeamAccess.Manage) return Failure.Forbidden(MembersOnly);
        var errors = new FieldErrors();
        request.Validate(errors);
        if (errors.Any) return errors.ToFailure();
        if (await db.GitRepositories.AnyAsync(r => r.TeamId == team.Id && r.Url == request.Url, ct))
            return Failure.Conflict("url", $"Team '{team.Name}' has registered {request.Url} already.");

        var (_, unreachable) = await mirror.ListRemoteAsync(request.Url!, request.Credential, ct);
        if (unreachable is not null)
        {
            var field = request.Kind switch { GitCredentialKind.Token => "token", GitCredentialKind.SshKey => "sshKey", _ => "url" };
            var authentication = unreachable.Contains("Authentication", StringComparison.OrdinalIgnoreCase)
                || unreachable.Contains("Permission denied", StringComparison.OrdinalIgnoreCase)
                || unreachable.Contains("could not read Username", StringComparison.OrdinalIgnoreCase)
                || unreachable.Contains("403", StringComparison.Ordinal) || unreachable.Contains("401", StringComparison.Ordinal);
            var message = authentication
                ? $"The repository refused the credential: {unreachable}"
                : $"The repository could not be reached: {unreachable}";
            return new Failure(OutcomeKind.Invalid, Unprocessable, new Dictionary<string, string[]> { [authentication ? field : "url"] = [message] });
        }

        var secret = request.Kind switch
        {
            GitCredentialKind.Token => protector.Protect(request.Token!),
            GitCredentialKind.SshKey => protector.Protect(request.SshKey!),
            _ => null,
        };
        var repository = new GitRepository(team.Id, request.Url!, request.Kind, secret, caller.Actor.Id, clock.GetUtcNow().UtcDateTime);
        db.GitRepositories.Add(repository);
        var view = GitRepositoryView.Of(repository, team.Name.Value);
        try
        {
            await audit.SaveChangesAsync(caller.Audit("repository.registered", "git_repository", repository.Id.ToString(), team.Id, null, null, view), ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            return Failure.Conflict("url", $"Team '{team.Name}' has registered {request.Url} already.");
        }
        return view;
    }

    public async Task<Outcome<IReadOnlyList<GitRepositoryView>>> ListAsync(Caller caller, string teamName, CancellationToken ct)
    {
        var (team, _) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        var repositories = await db.GitRepositories.AsNoTracking().Where(r => r.TeamId == team.Id).OrderBy(r => r.CreatedAt).ToListAsync(ct);
        return repositories.Select(r => GitRepositoryView.Of(r, team.Name.Value)).ToList();
    }

    public async Task<Outcome<GitRepositoryView>> DeleteAsync(Caller caller, string teamName, Guid id, CancellationToken ct)
    {
        var (team, teamAccess) = await access.TeamAsync(caller.Actor, teamName, ct);
        if (team is null) return Failure.NotFound($"Team '{teamName}'");
        if (teamAccess < TeamAccess.Manage) return Failure.Forbidden(MembersOnly);
        var repository = await db.GitRepositories.FirstOrDefaultAsync(r => r.Id == id && r.TeamId == team.Id, ct);
        if (repository is null) return Failure.NotFound($"Repository '{id}' of team '{teamName}'");
        var followers = await db.GitSources.Where(s => s.RepositoryId == id)
            .Join(db.Environments, s => s.EnvironmentId, e => e.Id, (s, e) => new { Env = e.Name, e.ApplicationId })
            .Join(db.Applications, x => x.ApplicationId, a => a.Id, (x, a) => new { App = a.Name, x.Env }).ToListAsync(ct);
        if (followers.Count > 0)
            return Failure.Conflict($"Environments follow this repository: {string.Join(", ", followers.Select(f => $"{f.App}/{f.Env}"))}. Stop following it there first.");
        var view = GitRepositoryView.Of(repository, team.Name.Value);
        db.GitRepositories.Remove(repository);
        await audit.SaveChangesAsync(caller.Audit("repository.deleted", "git_repository", repository.Id.ToString(), team.Id, null, view, null), ct);
        var directory = mirror.DirectoryOf(repository.Id);
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        return view;
    }

    /// <summary>The repository's credential, decrypted for one git command.</summary>
    public static GitCredential CredentialOf(GitRepository repository, SecretProtector protector) => repository.CredentialKind switch
    {
        GitCredentialKind.Token => new GitCredential(Token: protector.Unprotect(repository.ProtectedCredential!)),
        GitCredentialKind.SshKey => new GitCredential(SshKey: protector.Unprotect(repository.ProtectedCredential!)),
        _ => GitCredential.None,
    };
}
