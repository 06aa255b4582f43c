using Paddock.Portal.Features.Workloads;
using Paddock.Workloads.Planning;

namespace Paddock.Portal.Components.Pages.Workloads;

public enum PlanLineKind { Add, Change, Destroy, Replace, Keep, Summary }

/// <summary>One line of a plan as the UI draws it: its sign (<c>+</c>, <c>~</c>, <c>-</c>, <c>-/+</c>), its depth and
/// its text. Secrets say only "changed" (the plan holds no value for them).</summary>
public sealed record PlanLine(PlanLineKind Kind, int Depth, string Text)
{
    public string Sign => Kind switch
    {
        PlanLineKind.Add => "+",
        PlanLineKind.Change => "~",
        PlanLineKind.Destroy => "-",
        PlanLineKind.Replace => "-/+",
        _ => " ",
    };
}

/// <summary>A plan's items as lines that read like <c>terraform plan</c>: the content each container's image resolved
/// to (what the apply runs), the workload's own changes, each container
/// and its field and variable changes (before → after), each resource that does not stay as it is, then the summary.</summary>
public static class PlanLines
{
    public static IReadOnlyList<PlanLine> Of(PlanView plan)
    {
        var lines = new List<PlanLine>();
        if (plan.EnvironmentImage is { } image)
            lines.Add(new PlanLine(PlanLineKind.Change, 0, $"environment {plan.Environment}: its own image becomes {image}"));
        lines.AddRange(plan.Images.Select(i => new PlanLine(PlanLineKind.Keep, 0, $"image of {i.Container}: {i.Image} → {i.Digest ?? i.Note}")));
        if (plan.WorkloadChanges.Count > 0)
        {
            lines.Add(new PlanLine(PlanLineKind.Change, 0, "workload"));
            lines.AddRange(plan.WorkloadChanges.Select(Field));
        }
        foreach (var container in plan.Containers)
        {
            lines.Add(new PlanLine(KindOf(container.Action), 0, $"container {container.Name}"));
            if (container.Action == PlanAction.Delete) continue;
            lines.AddRange(container.Changes.Select(Field));
            lines.AddRange(container.Variables.Select(Variable));
        }
        foreach (var resource in plan.Resources.Where(r => r.Action != PlanAction.Keep))
        {
            lines.Add(new PlanLine(KindOf(resource.Action), 0,
                $"resource {resource.Name} ({resource.Type}){(resource.DataLoss ? ": its data is lost" : "")}"));
            lines.AddRange(resource.Changes.Select(Field));
        }
        lines.Add(new PlanLine(PlanLineKind.Summary, 0, plan.Summary));
        return lines;
    }

    private static PlanLineKind KindOf(PlanAction action) => action switch
    {
        PlanAction.Create => PlanLineKind.Add,
        PlanAction.Update => PlanLineKind.Change,
        PlanAction.Delete => PlanLineKind.Destroy,
        PlanAction.Replace => PlanLineKind.Replace,
        _ => PlanLineKind.Keep,
    };

    private static PlanLine Field(FieldChange change) =>
        change.IsSecret ? new PlanLine(PlanLineKind.Change, 1, $"{change.Field} (secret, changed)")
        : change.Before is null ? new PlanLine(PlanLineKind.Add, 1, $"{change.Field}: {change.After}")
        : change.After is null ? new PlanLine(PlanLineKind.Destroy, 1, $"{change.Field}: {change.Before}")
        : new PlanLine(PlanLineKind.Change, 1, $"{change.Field}: {change.Before} → {change.After}");

    private static PlanLine Variable(VariableChange variable) => (variable.Kind, variable.IsSecret) switch
    {
        (VariableChangeKind.Added, true) => new PlanLine(PlanLineKind.Add, 1, $"variable {variable.Name} (secret)"),
        (VariableChangeKind.Added, false) => new PlanLine(PlanLineKind.Add, 1, $"variable {variable.Name} = {variable.After}"),
        (VariableChangeKind.Removed, true) => new PlanLine(PlanLineKind.Destroy, 1, $"variable {variable.Name} (secret)"),
        (VariableChangeKind.Removed, false) => new PlanLine(PlanLineKind.Destroy, 1, $"variable {variable.Name} (was {variable.Before})"),
        (_, true) => new PlanLine(PlanLineKind.Change, 1, $"variable {variable.Name} (secret, changed)"),
        _ => new PlanLine(PlanLineKind.Change, 1, $"variable {variable.Name}: {variable.Before} → {variable.After}"),
    };
}
