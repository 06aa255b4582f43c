using System.Text.Json.Nodes;

namespace Paddock.Workloads.Model;

/// <summary>
/// Builds the typed model from a document the Score schema accepted, so every shape here is known to be right.
/// The deprecated array forms of files and volumes become the map form (keyed by their target), as the
/// reference implementation normalises them.
/// </summary>
internal static class WorkloadReader
{
    public static Workload Read(JsonObject root)
    {
        var metadata = root["metadata"]!.AsObject();
        var otherMetadata = new JsonObject();
        foreach (var (key, value) in metadata)
            if (key is not "name" and not "annotations") otherMetadata[key] = value?.DeepClone();

        return new Workload(
            Str(root["apiVersion"])!,
            new WorkloadMetadata(Str(metadata["name"])!, StringMap(metadata["annotations"]), otherMetadata),
            Map(root["service"]?["ports"], ReadPort),
            Map(root["containers"], ReadContainer),
            Map(root["resources"], ReadResource));
    }

    private static ServicePort ReadPort(JsonNode node) => new(
        Int(node["port"])!.Value,
        Str(node["protocol"]) switch { "TCP" => TransportProtocol.Tcp, "UDP" => TransportProtocol.Udp, _ => null },
        Int(node["targetPort"]));

    private static Container ReadContainer(JsonNode node) => new(
        Str(node["image"])!,
        StringList(node["command"]),
        StringList(node["args"]),
        StringMap(node["variables"]),
        MapOrTargetedList(node["files"], ReadFile),
        MapOrTargetedList(node["volumes"], ReadVolume),
        node["resources"] is JsonObject resources
            ? new ContainerResources(ReadAmounts(resources["limits"]), ReadAmounts(resources["requests"]))
            : null,
        ReadProbe(node["livenessProbe"]),
        ReadProbe(node["readinessProbe"]),
        Map(node["before"], before => Str(before["ready"])!));

    private static ContainerFile ReadFile(JsonNode node) => new(
        Str(node["mode"]), Str(node["source"]), Str(node["content"]), Str(node["binaryContent"]), Bool(node["noExpand"]));

    private static ContainerVolume ReadVolume(JsonNode node) =>
        new(Str(node["source"])!, Str(node["path"]), Bool(node["readOnly"]));

    private static ResourceAmounts? ReadAmounts(JsonNode? node) =>
        node is null ? null : new ResourceAmounts(Str(node["memory"]), Str(node["cpu"]));

    private static Probe? ReadProbe(JsonNode? node)
    {
        if (node is null) return null;
        var http = node["httpGet"] is JsonObject h
            ? new HttpProbe(Int(h["port"])!.Value, Str(h["path"])!, Str(h["host"]), Str(h["scheme"]),
                (h["httpHeaders"] as JsonArray ?? []).Select(x => new HttpHeader(Str(x!["name"])!, Str(x["value"])!)).ToList())
            : null;
        var exec = node["exec"] is JsonObject e ? new ExecProbe(StringList(e["command"]) ?? []) : null;
        return new Probe(http, exec);
    }

    private static ResourceRequest ReadResource(JsonNode node) => new(
        Str(node["type"])!, Str(node["class"]), Str(node["id"]),
        node["params"]?.DeepClone().AsObject(), node["metadata"]?.DeepClone().AsObject());

    private static IReadOnlyDictionary<string, T> Map<T>(JsonNode? node, Func<JsonNode, T> read)
    {
        var map = new SortedDictionary<string, T>(StringComparer.Ordinal);
        if (node is JsonObject obj)
            foreach (var (key, value) in obj) map[key] = read(value!);
        return map;
    }

    /// <summary>The map form, or the deprecated list form whose items name their key in "target".</summary>
    private static IReadOnlyDictionary<string, T> MapOrTargetedList<T>(JsonNode? node, Func<JsonNode, T> read)
    {
        if (node is not JsonArray list) return Map(node, read);
        var map = new SortedDictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in list) map[Str(item!["target"]) ?? ""] = read(item!);
        return map;
    }

    private static IReadOnlyDictionary<string, string> StringMap(JsonNode? node) => Map(node, v => Str(v)!);

    private static IReadOnlyList<string>? StringList(JsonNode? node) =>
        node is JsonArray array ? array.Select(x => Str(x)!).ToList() : null;

    private static string? Str(JsonNode? node) => node?.GetValue<string>();
    private static bool? Bool(JsonNode? node) => node?.GetValue<bool>();
    private static int? Int(JsonNode? node) =>
        node is null ? null
        : node.AsValue().TryGetValue<long>(out var whole) ? (int)whole
        : (int)node.GetValue<double>(); // the schema allows 8080.0 as an integer
}
