using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Applications;
using Paddock.Domain.Workloads;
using Paddock.Persistence;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Access;
using Paddock.Workloads.Model;
using Paddock.Workloads.Overrides;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Planning;

namespace Paddock.Portal.Features.Workloads;

/// <summary>An application's workload history for anyone who can read the app: its revisions, one revision with its
/// text, and what changes between any two (the planner's items and a text diff). Reads only: revisions are written by
/// the paths that change the workload (<see cref="WorkloadRevisions.EnsureStoredAsync"/>, plans' apply).</summary>
public sealed partial class RevisionHistory(PaddockDbContext db, AccessQueries access, WorkloadRevisions revisions)
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public async Task<Outcome<RevisionPageView>> ListAsync(Caller caller, string appName, Paging paging, CancellationToken ct)
    {
        var (app, notFound) = await AppAsync(caller, appName, ct);
        if (app is null) return notFound!;
        var revisions = db.WorkloadRevisions.AsNoTracking().Where(r => r.ApplicationId == app.Id);
        var total = await revisions.CountAsync(ct);
        var items = await revisions.OrderByDescending(r => r.Number).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        return new RevisionPageView(items.Select(r => RevisionView.Of(r, app.Name.Value)).ToList(),
            paging.Page, paging.PageSize, total, paging.NextPage(total));
    }

    public async Task<Outcome<RevisionView>> GetAsync(Caller caller, string appName, int number, CancellationToken ct)
    {
        var (app, notFound) = await AppAsync(caller, appName, ct);
        if (app is null) return notFound!;
        var revision = await FindAsync(app, number, ct);
        return revision is null ? RevisionNotFound(app, number) : RevisionView.Of(revision, app.Name.Value, withText: true);
    }

    public async Task<Outcome<RevisionDiffView>> DiffAsync(Caller caller, string appName, int from, int to, CancellationToken ct)
    {
        var (app, notFound) = await AppAsync(caller, appName, ct);
        if (app is null) return notFound!;
        var before = await FindAsync(app, from, ct);
        if (before is null) return RevisionNotFound(app, from);
        var after = await FindAsync(app, to, ct);
        if (after is null) return RevisionNotFound(app, to);
        return Diff(before, after);
    }

    /// <summary>The planner's items between two revisions as workloads of their own (no environment's overrides), and
    /// a unified diff of their texts.</summary>
    public RevisionDiffView Diff(WorkloadRevision before, WorkloadRevision after)
    {
        var textDiff = UnifiedDiff.Of(before.Text, after.Text, $"revision {before.Number}", $"revision {after.Number}");
        var values = ReferencedValues(before.Text, after.Text);
        var (current, beforeProblem) = Effective(before, values);
        var (next, afterProblem) = Effective(after, values);
        if (current is null || next is null)
            return new RevisionDiffView(before.Number, after.Number, null, 0, 0, 0, [], [], [], null, textDiff, beforeProblem ?? afterProblem);
        var plan = WorkloadPlanner.Plan(current, next);
        return new RevisionDiffView(before.Number, after.Number, plan.Summary, plan.ToAdd, plan.ToChange, plan.ToDestroy,
            plan.WorkloadChanges, plan.Containers, plan.Resources, PlanText.Render(plan), textDiff, null);
    }

    /// <summary>What a revision's placeholders of Paddock's values stand for in a diff: one fixed secret value per name,
    /// so a reference shows as unchanged unless it is added or removed (values are an environment's, not a revision's).</summary>
    private static EnvironmentValues ReferencedValues(params string[] texts)
    {
        var names = texts.SelectMany(t => ResourceReference().Matches(t).Select(m => m.Groups["output"].Value)).ToHashSet(StringComparer.Ordinal);
        return new EnvironmentValues(new Dictionary<string, string>(), names.ToDictionary(n => n, _ => "(set in Paddock)", StringComparer.Ordinal));
    }

    private (EffectiveWorkload? Effective, string? Problem) Effective(WorkloadRevision revision, EnvironmentValues values)
    {
        if (revisions.Parse(revision.Text) is not Workload workload)
            return (null, $"Revision {revision.Number} is no longer accepted by today's rules; only the text diff is shown.");
        var built = EffectiveWorkload.Build(workload, WorkloadOverride.None, ResourceOutputs.For(workload, values, unprovisionedAreKnownAfterApply: true));
        return built.Effective is { } effective ? (effective, null)
            : (null, $"Revision {revision.Number} does not resolve ({string.Join("; ", built.Errors)}); only the text diff is shown.");
    }

    private async Task<WorkloadRevision?> FindAsync(Application app, int number, CancellationToken ct) =>
        await db.WorkloadRevisions.AsNoTracking().FirstOrDefaultAsync(r => r.ApplicationId == app.Id && r.Number == number, ct);

    private async Task<(Application? App, Failure? NotFound)> AppAsync(Caller caller, string appName, CancellationToken ct)
    {
        var (app, _) = await access.AppAsync(caller.Actor, appName, ct);
        return app is null ? (null, Failure.NotFound($"Application '{appName}'")) : (app, null);
    }

    private static Failure RevisionNotFound(Application app, int number) => Failure.NotFound($"Revision {number} of '{app.Name}''s workload");

    [GeneratedRegex(@"\$\{resources\.[A-Za-z0-9_-]+\.(?<output>[A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex ResourceReference();
}
