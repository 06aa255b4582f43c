namespace Paddock.Domain.Sources;

/// <summary>An environment that follows a file in git: a repository, a branch or tag, the path of its Score workload
/// and optionally of its override. Paddock plans each new head of the ref and applies it when <see cref="AutoApply"/>;
/// otherwise the plan waits as the environment's next commit.</summary>
public sealed class GitSource
{
    public const int MaxRefLength = 255;
    public const int MaxPathLength = 500;

    public Guid EnvironmentId { get; private set; }
    public Guid ApplicationId { get; private set; }
    public Guid RepositoryId { get; private set; }
    public string Ref { get; private set; } = "";
    public string Path { get; private set; } = "";
    public string? OverridePath { get; private set; }
    public bool AutoApply { get; private set; }
    /// <summary>Whether an automatic apply may delete or replace a stateful resource (postgres, redis, volume: its data
    /// goes). When false (the default), such a commit is planned and waits for a person, even with <see cref="AutoApply"/>.</summary>
    public bool AllowStatefulDeletes { get; private set; }
    /// <summary>Whether people may still edit the app's workload and settings in Paddock; their edits then show as
    /// drift until git catches up. When false (the default), such edits are refused with where the file lives.</summary>
    public bool AllowEdits { get; private set; }
    public string CreatedBy { get; private set; } = "";
    public DateTime CreatedAt { get; private set; }

    /// <summary>The ref's head when Paddock last looked, and when.</summary>
    public string? HeadSha { get; private set; }
    public DateTime? CheckedAt { get; private set; }
    /// <summary>The last commit whose workload Paddock applied (or found to change nothing), with the deployment that runs it.</summary>
    public GitCommitInfo? Applied { get; private set; }
    public Guid? AppliedDeploymentId { get; private set; }
    /// <summary>A commit planned and waiting for someone to apply it (not with <see cref="AutoApply"/>).</summary>
    public GitCommitInfo? Next { get; private set; }
    public Guid? NextPlanId { get; private set; }
    /// <summary>Why the head cannot run (a fetch that failed, a missing file, an invalid workload), naming file, line and commit.</summary>
    public string? Error { get; private set; }

    private GitSource() { }

    public GitSource(Guid environmentId, Guid applicationId, string createdBy, DateTime createdAt)
    {
        EnvironmentId = environmentId;
        ApplicationId = applicationId;
        CreatedBy = createdBy;
        CreatedAt = createdAt;
    }

    /// <summary>Points the source somewhere (again): what was seen of the old place no longer says anything.</summary>
    public void Follow(Guid repositoryId, string reference, string path, string? overridePath, bool autoApply,
        bool allowStatefulDeletes = false, bool allowEdits = false)
    {
        var moved = repositoryId != RepositoryId || reference != Ref || path != Path || overridePath != OverridePath;
        // A commit the policy kept for a person is looked at again under the new policy.
        var policyChanged = allowStatefulDeletes != AllowStatefulDeletes;
        RepositoryId = repositoryId;
        Ref = reference;
        Path = path;
        OverridePath = overridePath;
        AutoApply = autoApply;
        AllowStatefulDeletes = allowStatefulDeletes;
        AllowEdits = allowEdits;
        if (moved || policyChanged) HeadSha = null;
    }

    /// <summary>The head cannot run; <paramref name="headSha"/> null when the repository could not even be read, so the
    /// head is looked at again once it can.</summary>
    public void Failed(string? headSha, string error, DateTime at)
    {
        HeadSha = headSha;
        Error = error;
        CheckedAt = at;
    }

    public void Unchanged(DateTime at) => CheckedAt = at;

    public void Planned(GitCommitInfo commit, Guid planId, DateTime at)
    {
        HeadSha = commit.Sha;
        Next = commit;
        NextPlanId = planId;
        Error = null;
        CheckedAt = at;
    }

    public void AppliedCommit(GitCommitInfo commit, Guid? deploymentId, DateTime at)
    {
        HeadSha = commit.Sha;
        Applied = commit;
        if (deploymentId is not null) AppliedDeploymentId = deploymentId;
        Next = null;
        NextPlanId = null;
        Error = null;
        CheckedAt = at;
    }
}

/// <summary>A commit as the environment page shows it.</summary>
public sealed record GitCommitInfo(string Sha, string Message, string Author, DateTime CommittedAt);
