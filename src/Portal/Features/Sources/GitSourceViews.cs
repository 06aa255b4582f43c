using Paddock.Domain.Sources;

namespace Paddock.Portal.Features.Sources;

/// <summary>Makes an environment follow a file in a registered repository of its team. <see cref="AllowStatefulDeletes"/>:
/// automatic applies may delete stateful resources (default false: such a commit waits for a person).
/// <see cref="AllowEdits"/>: edits in Paddock are allowed and shown as drift (default false: refused).</summary>
public sealed record PutSourceRequest(
    string? Repository = null, string? Ref = null, string? Path = null, string? OverridePath = null, bool? AutoApply = null,
    bool? AllowStatefulDeletes = null, bool? AllowEdits = null);

public enum SyncState { Synced, OutOfSync, Drifted, Error }

public sealed record CommitView(string Sha, string Message, string Author, DateTime CommittedAt)
{
    public static CommitView? Of(GitCommitInfo? commit) => commit is null ? null : new(commit.Sha, commit.Message, commit.Author, commit.CommittedAt);
}

/// <summary>The commit waiting to be applied and its plan.</summary>
public sealed record NextCommitView(CommitView Commit, Guid PlanId, string PlanUrl);

/// <summary>What an environment follows, the commit it runs, the branch's head, and whether they agree.</summary>
public sealed record SourceView(
    string App,
    string Environment,
    Guid RepositoryId,
    string Repository,
    string Ref,
    string Path,
    string? OverridePath,
    bool AutoApply,
    bool AllowStatefulDeletes,
    bool AllowEdits,
    CommitView? Running,
    string? Head,
    NextCommitView? Next,
    SyncState State,
    string? Reason,
    DateTime? CheckedAt,
    string CreatedBy,
    DateTime CreatedAt);
