using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Paddock.Workloads.Model;

namespace Paddock.Workloads.Export;

/// <summary>
/// The one canonical JSON form of a workload: every key sorted (ordinal), the deprecated list forms written as
/// maps, nothing the file did not say added. Export, the content hash and the plan's comparisons all use it,
/// so "the same workload" means the same thing everywhere.
/// </summary>
public static class CanonicalWorkload
{
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static JsonObject ToJson(Workload workload)
    {
        var metadata = Sorted(workload.Metadata.Other);
        metadata["name"] = workload.Metadata.Name;
        if (workload.Metadata.Annotations.Count > 0) metadata["annotations"] = StringMap(workload.Metadata.Annotations);

        var root = new JsonObject
        {
            ["apiVersion"] = workload.ApiVersion,
            ["metadata"] = Sorted(metadata),
        };
        if (workload.Ports.Count > 0)
            root["service"] = new JsonObject { ["ports"] = ObjectMap(workload.Ports, PortJson) };
        root["containers"] = ObjectMap(workload.Containers, ContainerJson);
        if (workload.Resources.Count > 0) root["resources"] = ObjectMap(workload.Resources, ResourceJson);
        return Sorted(root);
    }

    /// <summary>Compact canonical JSON text of any part of the model.</summary>
    public static string Text(JsonNode? node) => node is null ? "null" : Sorted(node).ToJsonString(Compact);

    /// <summary>"sha256:" and the hex digest of the canonical text: equal for workloads that say the same thing.</summary>
    public static string ContentHash(Workload workload) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Text(ToJson(workload)))));

    public static JsonObject PortJson(ServicePort port)
    {
        var json = new JsonObject { ["port"] = port.Port };
        if (port.Protocol is { } protocol) json["protocol"] = protocol == TransportProtocol.Tcp ? "TCP" : "UDP";
        if (port.TargetPort is { } target) json["targetPort"] = target;
        return Sorted(json);
    }

    public static JsonObject ContainerJson(Container container)
    {
        var json = new JsonObject { ["image"] = container.Image };
        if (container.Command is { } command) json["command"] = StringList(command);
        if (container.Args is { } args) json["args"] = StringList(args);
        if (container.Variables.Count > 0) json["variables"] = StringMap(container.Variables);
        if (container.Files.Count > 0) json["files"] = ObjectMap(container.Files, FileJson);
        if (container.Volumes.Count > 0) json["volumes"] = ObjectMap(container.Volumes, VolumeJson);
        if (container.Resources is { } resources) json["resources"] = ResourcesJson(resources);
        if (container.LivenessProbe is { } liveness) json["livenessProbe"] = ProbeJson(liveness);
        if (container.ReadinessProbe is { } readiness) json["readinessProbe"] = ProbeJson(readiness);
        if (container.Before.Count > 0)
            json["before"] = ObjectMap(container.Before, ready => new JsonObject { ["ready"] = ready });
        return Sorted(json);
    }

    public static JsonObject FileJson(ContainerFile file)
    {
        var json = new JsonObject();
        if (file.Mode is not null) json["mode"] = file.Mode;
        if (file.Source is not null) json["source"] = file.Source;
        if (file.Content is not null) json["content"] = file.Content;
        if (file.BinaryContent is not null) json["binaryContent"] = file.BinaryContent;
        if (file.NoExpand is { } noExpand) json["noExpand"] = noExpand;
        return Sorted(json);
    }

    public static JsonObject VolumeJson(ContainerVolume volume)
    {
        var json = new JsonObject { ["source"] = volume.Source };
        if (volume.Path is not null) json["path"] = volume.Path;
        if (volume.ReadOnly is { } readOnly) json["readOnly"] = readOnly;
        return Sorted(json);
    }

    public static JsonObject ResourcesJson(ContainerResources resources)
    {
        var json = new JsonObject();
        if (resources.Limits is { } limits) json["limits"] = AmountsJson(limits);
        if (resources.Requests is { } requests) json["requests"] = AmountsJson(requests);
        return Sorted(json);
    }

    public static JsonObject AmountsJson(ResourceAmounts amounts)
    {
        var json = new JsonObject();
        if (amounts.Cpu is not null) json["cpu"] = amounts.Cpu;
        if (amounts.Memory is not null) json["memory"] = amounts.Memory;
        return json;
    }

    public static JsonObject ProbeJson(Probe probe)
    {
        var json = new JsonObject();
        if (probe.Exec is { } exec) json["exec"] = new JsonObject { ["command"] = StringList(exec.Command) };
        if (probe.HttpGet is { } http)
        {
            var get = new JsonObject();
            if (http.Headers.Count > 0)
                get["httpHeaders"] = new JsonArray(http.Headers
                    .Select(h => (JsonNode)new JsonObject { ["name"] = h.Name, ["value"] = h.Value }).ToArray());
            if (http.Host is not null) get["host"] = http.Host;
            get["path"] = http.Path;
            get["port"] = http.Port;
            if (http.Scheme is not null) get["scheme"] = http.Scheme;
            json["httpGet"] = get;
        }
        return json;
    }

    public static JsonObject ResourceJson(ResourceRequest resource)
    {
        var json = new JsonObject { ["type"] = resource.Type };
        if (resource.Class is not null) json["class"] = resource.Class;
        if (resource.Id is not null) json["id"] = resource.Id;
        if (resource.Metadata is not null) json["metadata"] = Sorted(resource.Metadata);
        if (resource.Params is not null) json["params"] = Sorted(resource.Params);
        return Sorted(json);
    }

    private static JsonObject ObjectMap<T>(IReadOnlyDictionary<string, T> map, Func<T, JsonNode> write)
    {
        var json = new JsonObject();
        foreach (var key in map.Keys.Order(StringComparer.Ordinal)) json[key] = write(map[key]);
        return json;
    }

    private static JsonObject StringMap(IReadOnlyDictionary<string, string> map) => ObjectMap(map, v => JsonValue.Create(v)!);

    private static JsonArray StringList(IReadOnlyList<string> items) =>
        new(items.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray());

    /// <summary>A deep copy with every object's keys in ordinal order.</summary>
    private static JsonObject Sorted(JsonObject obj) => (JsonObject)Sorted((JsonNode)obj);

    private static JsonNode Sorted(JsonNode node) => node switch
    {
        JsonObject obj => new JsonObject(obj
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Sorted(p.Value)))),
        JsonArray array => new JsonArray(array.Select(x => x is null ? null : Sorted(x)).ToArray()),
        _ => node.DeepClone(),
    };
}
