namespace Paddock.Workloads.Planning;

public enum PlanAction { Create, Update, Replace, Delete, Keep }

/// <summary>A value before and after; both null when <paramref name="IsSecret"/>, so a secret never shows.</summary>
public sealed record FieldChange(string Field, string? Before, string? After, bool IsSecret = false);

public enum VariableChangeKind { Added, Removed, Changed }

/// <summary>A container variable that changes; a secret one says only that it changes, never its values.</summary>
public sealed record VariableChange(string Name, VariableChangeKind Kind, bool IsSecret, string? Before, string? After);

public sealed record ContainerPlan(
    string Name, PlanAction Action, IReadOnlyList<FieldChange> Changes, IReadOnlyList<VariableChange> Variables);

/// <param name="DataLoss">True when the action throws away data: deleting or replacing a stateful resource.</param>
public sealed record ResourcePlan(
    string Name, string Type, PlanAction Action, bool DataLoss, IReadOnlyList<FieldChange> Changes);

/// <summary>
/// What applying a workload to an environment would change, in the terms of <c>terraform plan</c>.
/// </summary>
/// <param name="WorkloadChanges">Changes of the workload as a whole: replicas, service ports, metadata.</param>
/// <param name="Containers">Containers that are created, updated or deleted (unchanged ones are left out).</param>
/// <param name="Resources">Every resource of either side, with what happens to it (Keep when nothing).</param>
/// <param name="ContentHash">The content hash of the new workload (<see cref="Export.CanonicalWorkload.ContentHash"/>).</param>
public sealed record WorkloadPlan(
    IReadOnlyList<FieldChange> WorkloadChanges,
    IReadOnlyList<ContainerPlan> Containers,
    IReadOnlyList<ResourcePlan> Resources,
    string ContentHash)
{
    public int ToAdd =>
        Containers.Count(c => c.Action == PlanAction.Create)
        + Resources.Count(r => r.Action is PlanAction.Create or PlanAction.Replace);

    public int ToChange =>
        (WorkloadChanges.Count > 0 ? 1 : 0)
        + Containers.Count(c => c.Action == PlanAction.Update)
        + Resources.Count(r => r.Action == PlanAction.Update);

    /// <summary>Replacing counts as one to add and one to destroy, as in Terraform.</summary>
    public int ToDestroy =>
        Containers.Count(c => c.Action == PlanAction.Delete)
        + Resources.Count(r => r.Action is PlanAction.Delete or PlanAction.Replace);

    public bool IsEmpty => ToAdd == 0 && ToChange == 0 && ToDestroy == 0;

    public bool LosesData => Resources.Any(r => r.DataLoss);

    public string Summary => $"Plan: {ToAdd} to add, {ToChange} to change, {ToDestroy} to destroy";
}
