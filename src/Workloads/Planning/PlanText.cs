using System.Text;

namespace Paddock.Workloads.Planning;

/// <summary>
/// A plan as plain text that reads like <c>terraform plan</c>: "+" adds, "~" changes, "-" destroys, "-/+"
/// replaces; secrets say only that they change. For logs, the CLI and tests; the UI draws its own.
/// </summary>
public static class PlanText
{
    public static string Render(WorkloadPlan plan)
    {
        var text = new StringBuilder();
        if (plan.WorkloadChanges.Count > 0)
        {
            text.AppendLine("  ~ workload");
            foreach (var change in plan.WorkloadChanges) Field(text, change);
        }
        foreach (var container in plan.Containers)
        {
            text.AppendLine($"  {Sign(container.Action)} container {container.Name}");
            if (container.Action == PlanAction.Delete) continue;
            foreach (var change in container.Changes) Field(text, change);
            foreach (var variable in container.Variables) Variable(text, variable);
        }
        foreach (var resource in plan.Resources.Where(r => r.Action != PlanAction.Keep))
        {
            text.AppendLine($"  {Sign(resource.Action)} resource {resource.Name} ({resource.Type}){(resource.DataLoss ? ": its data is lost" : "")}");
            foreach (var change in resource.Changes) Field(text, change);
        }
        if (text.Length > 0) text.AppendLine();
        text.AppendLine(plan.Summary);
        return text.ToString();
    }

    private static string Sign(PlanAction action) => action switch
    {
        PlanAction.Create => "+",
        PlanAction.Update => "~",
        PlanAction.Delete => "-",
        PlanAction.Replace => "-/+",
        _ => " ",
    };

    private static void Field(StringBuilder text, FieldChange change)
    {
        if (change.IsSecret) text.AppendLine($"      ~ {change.Field} (secret, changed)");
        else if (change.Before is null) text.AppendLine($"      + {change.Field}: {change.After}");
        else if (change.After is null) text.AppendLine($"      - {change.Field}: {change.Before}");
        else text.AppendLine($"      ~ {change.Field}: {change.Before} → {change.After}");
    }

    private static void Variable(StringBuilder text, VariableChange variable)
    {
        var line = (variable.Kind, variable.IsSecret) switch
        {
            (VariableChangeKind.Added, true) => $"+ variable {variable.Name} (secret)",
            (VariableChangeKind.Added, false) => $"+ variable {variable.Name} = {variable.After}",
            (VariableChangeKind.Removed, true) => $"- variable {variable.Name} (secret)",
            (VariableChangeKind.Removed, false) => $"- variable {variable.Name} (was {variable.Before})",
            (_, true) => $"~ variable {variable.Name} (secret, changed)",
            _ => $"~ variable {variable.Name}: {variable.Before} → {variable.After}",
        };
        text.AppendLine("      " + line);
    }
}
