using Paddock.Domain.Deployments;
using Paddock.Workloads.Placeholders;

namespace Paddock.Workers.Resources;

/// <summary>A resource output a variable names that the environment's resources do not offer (a resource not ready,
/// an output its type does not have): the deployment cannot start its containers.</summary>
public sealed class ResourceOutputMissingException(string message) : Exception(message);

/// <summary>Resolves the snapshot's variables that take resource outputs (<c>${resources.db.url}</c>, Score's
/// syntax, <c>$$</c> a literal <c>$</c>). A variable built from a secret output is secret, so it travels to the
/// container the way Paddock's secrets do (redacted from events and failures, never shown).</summary>
public static class ResourceVariables
{
    public static (Dictionary<string, string> Plain, Dictionary<string, string> Secret) Resolve(
        IReadOnlyDictionary<string, string>? templates, IReadOnlyDictionary<string, IReadOnlyDictionary<string, (string Value, bool Secret)>> outputs)
    {
        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        var secret = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, template) in templates ?? new Dictionary<string, string>())
        {
            var (text, isSecret) = Fill(template, reference =>
                Output(outputs, reference) ?? throw new ResourceOutputMissingException($"Variable {name} takes {reference}, which the environment's resources do not offer."));
            (isSecret ? secret : plain)[name] = text;
        }
        return (plain, secret);
    }

    /// <summary>The snapshot's files with their placeholders resolved: a resource of <paramref name="provisioned"/> gives
    /// its output, any other (the environment resource) the pinned secret of that name; a file that took a secret's
    /// value is secret. <c>$$</c> is a literal <c>$</c>; binary files are base64, taken as they are.</summary>
    public static List<(string Container, Domain.Backends.ContainerFileSpec File)> Files(
        IReadOnlyList<SnapshotFile>? files, IReadOnlyList<SnapshotResource>? provisioned, IReadOnlyDictionary<string, string> secrets,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, (string Value, bool Secret)>>? outputs)
    {
        var provisionedNames = (provisioned ?? []).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var resolved = new List<(string, Domain.Backends.ContainerFileSpec)>();
        foreach (var file in files ?? [])
        {
            var mode = file.Mode is { } octal ? Convert.ToInt32(octal, 8) : Domain.Backends.ContainerFileSpec.DefaultMode;
            if (file.Binary)
            {
                resolved.Add((file.Container, new Domain.Backends.ContainerFileSpec(file.Target, mode, Convert.FromBase64String(file.Content), false)));
                continue;
            }
            var (text, isSecret) = Fill(file.Content, reference =>
            {
                if (reference.Root != "resources" || reference.Path.Count != 3)
                    throw new ResourceOutputMissingException($"File {file.Target} of {file.Container} takes {reference}, which Paddock does not offer.");
                if (provisionedNames.Contains(reference.Path[1]))
                    return (outputs is null ? null : Output(outputs, reference))
                        ?? throw new ResourceOutputMissingException($"File {file.Target} of {file.Container} takes {reference}, which the environment's resources do not offer.");
                return secrets.TryGetValue(reference.Path[2], out var secret) ? (secret, true)
                    : throw new ResourceOutputMissingException($"File {file.Target} of {file.Container} takes {reference}, which is not among the deployment's pinned secrets.");
            });
            resolved.Add((file.Container, new Domain.Backends.ContainerFileSpec(file.Target, mode, System.Text.Encoding.UTF8.GetBytes(text), isSecret)));
        }
        return resolved;
    }

    /// <summary>A resource's params (the snapshot's JSON text) with their placeholders resolved from the outputs of the
    /// resources provisioned before it (<c>host: ${resources.dns.host}</c>), or why they cannot be.</summary>
    public static (System.Text.Json.Nodes.JsonObject? Params, string? Failure) ResolveParams(
        string? paramsJson, IReadOnlyDictionary<string, IReadOnlyDictionary<string, (string Value, bool Secret)>> outputs)
    {
        if (paramsJson is null) return (null, null);
        string? failure = null;
        System.Text.Json.Nodes.JsonNode? Walk(System.Text.Json.Nodes.JsonNode? node) => node switch
        {
            System.Text.Json.Nodes.JsonObject obj => new System.Text.Json.Nodes.JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Walk(p.Value)))),
            System.Text.Json.Nodes.JsonArray array => new System.Text.Json.Nodes.JsonArray(array.Select(Walk).ToArray()),
            System.Text.Json.Nodes.JsonValue value when value.TryGetValue<string>(out var text) => System.Text.Json.Nodes.JsonValue.Create(Substitute(text)),
            _ => node?.DeepClone(),
        };
        string Substitute(string template) => Fill(template, reference =>
        {
            if (Output(outputs, reference) is { } output) return output;
            failure ??= $"its params take {reference}, which the resources provisioned before it do not offer.";
            return ("", false);
        }).Text;
        var resolved = (System.Text.Json.Nodes.JsonObject?)Walk(System.Text.Json.Nodes.JsonNode.Parse(paramsJson));
        return failure is null ? (resolved, null) : (null, failure);
    }

    /// <summary>The template with each placeholder replaced by what <paramref name="resolve"/> gives for it (<c>$$</c> a
    /// literal <c>$</c>); secret when any value it took is.</summary>
    private static (string Text, bool Secret) Fill(string template, Func<Reference, (string Value, bool Secret)> resolve)
    {
        var text = new System.Text.StringBuilder();
        var isSecret = false;
        foreach (var part in Template.Parse(template).Parts)
        {
            if (part is Literal literal) { text.Append(literal.Text); continue; }
            var (value, secret) = resolve((Reference)part);
            text.Append(value);
            isSecret |= secret;
        }
        return (text.ToString(), isSecret);
    }

    /// <summary>The output <c>${resources.NAME.OUTPUT}</c> names, if the resources offer it.</summary>
    private static (string Value, bool Secret)? Output(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, (string Value, bool Secret)>> outputs, Reference reference) =>
        reference.Root == "resources" && reference.Path.Count == 3
        && outputs.TryGetValue(reference.Path[1], out var offered) && offered.TryGetValue(reference.Path[2], out var output)
            ? output : null;

    /// <summary>The snapshot's volume mounts with each volume resource's name in the backend (its <c>name</c> output).</summary>
    public static IReadOnlyList<Domain.Backends.VolumeMount> Mounts(
        IReadOnlyList<SnapshotVolume>? volumes, IReadOnlyDictionary<string, IReadOnlyDictionary<string, (string Value, bool Secret)>>? outputs) =>
        (volumes ?? []).Select(volume =>
            outputs is not null && outputs.TryGetValue(volume.Resource, out var offered) && offered.TryGetValue("name", out var name)
                ? new Domain.Backends.VolumeMount(name.Value, volume.Target, volume.ReadOnly, volume.Path)
                : throw new ResourceOutputMissingException($"The volume mounted at {volume.Target} takes resource {volume.Resource}, which is not ready."))
        .ToList();
}
