using System.Globalization;

namespace Paddock.Domain.Teams;

/// <summary>What all pods of one of a team's environments may use together, where the backend can enforce it
/// (a Kubernetes ResourceQuota on the environment's namespace). CPU in millicores, memory in MiB; null means no
/// limit on that resource.</summary>
public sealed record EnvironmentQuota(int? CpuMillicores, int? MemoryMiB, int? Pods)
{
    /// <summary>No resource limited: the same as having no quota.</summary>
    public bool IsEmpty => CpuMillicores is null && MemoryMiB is null && Pods is null;

    /// <summary>Null when the quota is valid; else what is wrong, in words for the API's field error.</summary>
    public string? Check()
    {
        if (CpuMillicores is < 10 or > 1_000_000) return "cpuMillicores must be between 10 and 1000000.";
        if (MemoryMiB is < 6 or > 4_194_304) return "memoryMiB must be between 6 and 4194304.";
        if (Pods is < 1 or > 10_000) return "pods must be between 1 and 10000.";
        return null;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (CpuMillicores is { } cpu) parts.Add($"cpu {cpu.ToString(CultureInfo.InvariantCulture)}m");
        if (MemoryMiB is { } memory) parts.Add($"memory {memory.ToString(CultureInfo.InvariantCulture)}Mi");
        if (Pods is { } pods) parts.Add($"pods {pods.ToString(CultureInfo.InvariantCulture)}");
        return parts.Count == 0 ? "no limits" : string.Join(", ", parts);
    }
}
