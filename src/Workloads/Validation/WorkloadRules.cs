namespace Paddock.Workloads.Validation;

/// <summary>What this Paddock accepts beyond the Score schema; the types it can provision change as provisioners land.</summary>
public sealed record WorkloadRules(IReadOnlySet<string> ProvisionableResourceTypes)
{
    /// <summary>Today Paddock provisions only <c>environment</c> resources (its own variables and secrets).</summary>
    public static WorkloadRules Default { get; } = new(new HashSet<string>(StringComparer.Ordinal) { "environment" });
}
