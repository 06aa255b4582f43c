using Paddock.Domain.Environments;

namespace Paddock.Domain.Resources;

/// <summary>What happens to a resource's data when the resource goes (removed from the workload, or its environment
/// deleted): dropped, kept on its server (Retained), or dumped under the data directory and then dropped.</summary>
public enum ResourcePolicy
{
    Delete = 0,
    Retain = 1,
    Snapshot = 2,
}

public static class ResourcePolicies
{
    /// <summary>An environment that says nothing: production keeps a copy of its data before it goes
    /// (snapshot-then-delete), every other stage deletes.</summary>
    public static ResourcePolicy DefaultFor(Stage stage) => stage == Stage.Production ? ResourcePolicy.Snapshot : ResourcePolicy.Delete;
}
