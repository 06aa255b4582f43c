namespace Paddock.Workloads.Planning;

/// <param name="StatefulResourceTypes">Types whose resources hold data, so deleting or replacing one loses it.</param>
public sealed record PlanOptions(IReadOnlySet<string> StatefulResourceTypes)
{
    public static PlanOptions Default { get; } =
        new(new HashSet<string>(StringComparer.Ordinal) { "postgres", "redis", "volume" });
}
