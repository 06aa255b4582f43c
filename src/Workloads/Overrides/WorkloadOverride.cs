namespace Paddock.Workloads.Overrides;

/// <summary>
/// What one environment changes in a shared workload, in the spirit of score-compose's override files:
/// the number of replicas, and per container its image, variables (set, or removed with null) and secrets.
/// Secrets are Paddock's own values (set in the UI or API, never in a file) and reach the container as
/// secret variables.
/// </summary>
public sealed record WorkloadOverride(int? Replicas, IReadOnlyDictionary<string, ContainerOverride> Containers)
{
    public static WorkloadOverride None { get; } = new(null, new Dictionary<string, ContainerOverride>());
}

/// <param name="Variables">Templates like the workload's own; a null value removes the variable.</param>
/// <param name="Secrets">Secret values by variable name; they win over a variable of the same name.</param>
public sealed record ContainerOverride(
    string? Image,
    IReadOnlyDictionary<string, string?> Variables,
    IReadOnlyDictionary<string, string> Secrets)
{
    public static ContainerOverride ImageOnly(string image) =>
        new(image, new Dictionary<string, string?>(), new Dictionary<string, string>());
}
