using System.Text.Json.Nodes;

namespace Paddock.Workloads.Model;

/// <summary>
/// A Score workload (score.dev/v1b1) as Paddock reads it. Maps are sorted by key (ordinal), so two workloads
/// that say the same thing look the same, whatever order their files wrote it in. Free-form parts of the
/// format (extra metadata keys, resource params and metadata) stay JSON. Records holding maps compare maps by
/// reference: compare workloads by <see cref="Export.CanonicalWorkload.ContentHash"/>, or plan them.
/// </summary>
public sealed record Workload(
    string ApiVersion,
    WorkloadMetadata Metadata,
    IReadOnlyDictionary<string, ServicePort> Ports,
    IReadOnlyDictionary<string, Container> Containers,
    IReadOnlyDictionary<string, ResourceRequest> Resources)
{
    public const string ScoreApiVersion = "score.dev/v1b1";
}

/// <param name="Other">Metadata keys other than name and annotations, kept as written.</param>
public sealed record WorkloadMetadata(string Name, IReadOnlyDictionary<string, string> Annotations, JsonObject Other);

public enum TransportProtocol { Tcp, Udp }

/// <param name="Protocol">Null when the file does not say (Score's default is TCP).</param>
/// <param name="TargetPort">Null when the file does not say (Score's default is <paramref name="Port"/>).</param>
public sealed record ServicePort(int Port, TransportProtocol? Protocol, int? TargetPort)
{
    public int EffectiveTargetPort => TargetPort ?? Port;
}

/// <param name="Variables">Values are templates: they may hold ${...} placeholders.</param>
/// <param name="Files">By target path in the container.</param>
/// <param name="Volumes">By target path in the container.</param>
/// <param name="Before">Containers that must reach a state ("started", "healthy", "complete") before this one starts.</param>
public sealed record Container(
    string Image,
    IReadOnlyList<string>? Command,
    IReadOnlyList<string>? Args,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyDictionary<string, ContainerFile> Files,
    IReadOnlyDictionary<string, ContainerVolume> Volumes,
    ContainerResources? Resources,
    Probe? LivenessProbe,
    Probe? ReadinessProbe,
    IReadOnlyDictionary<string, string> Before);

/// <summary>Exactly one of <paramref name="Source"/>, <paramref name="Content"/> and <paramref name="BinaryContent"/> is set.</summary>
public sealed record ContainerFile(string? Mode, string? Source, string? Content, string? BinaryContent, bool? NoExpand)
{
    public bool ExpandsPlaceholders => Content is not null && NoExpand != true;
}

public sealed record ContainerVolume(string Source, string? Path, bool? ReadOnly);

public sealed record ContainerResources(ResourceAmounts? Limits, ResourceAmounts? Requests);

public sealed record ResourceAmounts(string? Memory, string? Cpu);

public sealed record Probe(HttpProbe? HttpGet, ExecProbe? Exec);

public sealed record HttpProbe(int Port, string Path, string? Host, string? Scheme, IReadOnlyList<HttpHeader> Headers);

public sealed record HttpHeader(string Name, string Value);

public sealed record ExecProbe(IReadOnlyList<string> Command);

/// <param name="Params">Null when the file has none; may hold placeholders.</param>
/// <param name="Metadata">Null when the file has none.</param>
public sealed record ResourceRequest(string Type, string? Class, string? Id, JsonObject? Params, JsonObject? Metadata);
