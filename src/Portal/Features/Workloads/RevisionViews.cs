using Paddock.Domain.Workloads;
using Paddock.Portal.Features.Deployments;
using Paddock.Workloads.Planning;

namespace Paddock.Portal.Features.Workloads;

/// <summary>One workload revision of an app: who made it, when, from what (a submitted file or the app's settings) and
/// its canonical content hash; <see cref="Text"/> (the file as submitted) only when one revision is asked for.</summary>
public sealed record RevisionView(
    int Number,
    Guid Id,
    string Url,
    string Origin,
    string ContentHash,
    TriggeredByView CreatedBy,
    DateTime CreatedAt,
    string? Text = null)
{
    public static string UrlOf(string app, int number) => $"/api/v1/apps/{app}/workload/revisions/{number}";

    public static RevisionView Of(WorkloadRevision revision, string app, bool withText = false) => new(
        revision.Number, revision.Id, UrlOf(app, revision.Number), revision.Origin.ToString(), revision.ContentHash,
        new TriggeredByView(revision.CreatedById, revision.CreatedByName), revision.CreatedAt, withText ? revision.Text : null);
}

/// <summary>A page of an app's revisions, newest first, paged like the other lists.</summary>
public sealed record RevisionPageView(IReadOnlyList<RevisionView> Items, int Page, int PageSize, int Total, int? NextPage);

/// <summary>What changes from revision <see cref="From"/> to <see cref="To"/>: the planner's items (as a plan shows them,
/// without any environment's overrides; secrets only as changed or unchanged), the plan text, and a unified diff of the
/// two files as submitted. <see cref="ItemsUnavailable"/> says why there are no items when a revision no longer reads
/// under today's rules.</summary>
public sealed record RevisionDiffView(
    int From,
    int To,
    string? Summary,
    int ToAdd,
    int ToChange,
    int ToDestroy,
    IReadOnlyList<FieldChange> WorkloadChanges,
    IReadOnlyList<ContainerPlan> Containers,
    IReadOnlyList<ResourcePlan> Resources,
    string? PlanText,
    string TextDiff,
    string? ItemsUnavailable);
