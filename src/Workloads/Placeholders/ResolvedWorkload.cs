using System.Text.Json.Nodes;

namespace Paddock.Workloads.Placeholders;

/// <summary>What a workload's placeholders stand for in one environment: the values its containers get.</summary>
public sealed record ResolvedWorkload(
    IReadOnlyDictionary<string, ResolvedContainer> Containers,
    IReadOnlyDictionary<string, ResolvedParams> ResourceParams);

/// <param name="Variables">The environment variables, each plain or secret.</param>
/// <param name="FileContents">Text content of files by target path (files with a source or binary content are absent).</param>
/// <param name="VolumeSources">Volume sources by target path.</param>
public sealed record ResolvedContainer(
    IReadOnlyDictionary<string, ConfigValue> Variables,
    IReadOnlyDictionary<string, ConfigValue> FileContents,
    IReadOnlyDictionary<string, ConfigValue> VolumeSources);

/// <param name="HoldsSecret">True when any value in <paramref name="Params"/> came from a secret.</param>
public sealed record ResolvedParams(JsonObject? Params, bool HoldsSecret);
