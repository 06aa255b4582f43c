using Paddock.Domain.Applications;

namespace Paddock.Domain.Environments;

/// <summary>What an environment changes from its application's defaults. Null means "inherit".</summary>
public sealed record EnvironmentOverrides(
    string? Image,
    int? Replicas,
    int? CpuMillicores,
    int? MemoryMiB,
    int? StopGracePeriodSeconds = null)
{
    public static EnvironmentOverrides None { get; } = new(null, null, null, null);

    public ResourceLimits LimitsOver(ResourceLimits inherited) =>
        new(CpuMillicores ?? inherited.CpuMillicores, MemoryMiB ?? inherited.MemoryMiB);
}
