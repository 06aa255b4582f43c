namespace Paddock.Domain.Applications;

/// <summary>Resource limits; null means "no limit". CPU in millicores (1000 = one core), memory in MiB.</summary>
public sealed record ResourceLimits(int? CpuMillicores, int? MemoryMiB)
{
    public static ResourceLimits None { get; } = new(null, null);

    public string? Check()
    {
        if (CpuMillicores is < 10 or > 64_000) return "cpuMillicores must be between 10 and 64000.";
        if (MemoryMiB is < 6 or > 262_144) return "memoryMiB must be between 6 and 262144.";
        return null;
    }
}
