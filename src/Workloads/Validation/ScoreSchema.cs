using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Paddock.Workloads.Source;

namespace Paddock.Workloads.Validation;

/// <summary>
/// The official JSON schema of score.dev/v1b1, shipped inside this assembly (Schema/score-v1b1.json).
/// Source: github.com/score-spec/spec, file score-v1b1.json at commit 1c2427db4e1c96e05956e0546e767fc994a5421d
/// (2026-07-20); Schema/README.md says how to update it.
/// </summary>
public static class ScoreSchema
{
    private const string LabelPattern = "^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$";

    private static readonly Lazy<(JsonSchema Schema, JsonNode Text)> Loaded = new(Load);

    /// <summary>Every place the document breaks the schema, each once, in document order.</summary>
    public static IReadOnlyList<WorkloadError> Validate(SourceDocument document)
    {
        var instance = JsonSerializer.SerializeToElement(document.Root);
        // The list of every subschema's result costs several times a yes/no answer: ask for it only when needed.
        if (Loaded.Value.Schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid) return [];
        var results = Loaded.Value.Schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });

        var nodes = (results.Details ?? []).Prepend(results)
            .Select(d => new SchemaNode(d.IsValid, d.InstanceLocation.ToString(), d.EvaluationPath.ToString(),
                d.SchemaLocation.ToString(), d.Errors ?? new Dictionary<string, string>()))
            .ToList();

        return SchemaFailure.Relevant(nodes)
            .Select(f => IsUnknownProperty(f)
                ? document.KeyError(f.InstanceLocation, $"Score workloads have no property \"{Unescape(f.InstanceLocation[(f.InstanceLocation.LastIndexOf('/') + 1)..])}\" here.")
                : document.Error(f.InstanceLocation, Readable(f, document)))
            .DistinctBy(e => (e.Pointer, e.Message))
            .OrderBy(e => e.Position?.Line ?? 0).ThenBy(e => e.Position?.Column ?? 0)
            .ToList();
    }

    /// <summary>"additionalProperties: false" fails a property the schema does not list through the schema "false".</summary>
    private static bool IsUnknownProperty(SchemaFailure failure) =>
        failure.EvaluationPath.EndsWith("/additionalProperties", StringComparison.Ordinal) && failure.Message.Contains("false schema", StringComparison.Ordinal);

    /// <summary>The evaluator's words, except for patterns, whose stock message does not say which pattern.</summary>
    private static string Readable(SchemaFailure failure, SourceDocument document)
    {
        if (failure.Keyword == "type" && failure.Message.EndsWith("should be \"string\"", StringComparison.Ordinal)
            && CanonicalText(document, failure.InstanceLocation) is var value && value != "null")
            return $"{failure.Message}: write it in quotes, as \"{value}\".";
        var fragment = failure.SchemaLocation[(failure.SchemaLocation.IndexOf('#') + 1)..];
        if (failure.Keyword == "oneOf" && SchemaAt(fragment)?["oneOf"] is JsonArray alternatives
            && alternatives.Select(a => a?["required"]?[0]?.GetValue<string>()).ToList() is var names && names.All(n => n is not null))
            return $"Only one of the properties {string.Join(", ", names.Select(n => $"\"{n}\""))} may be set.";
        if (failure.Keyword != "pattern") return failure.Message;
        // For a property name the location ends with the name itself, one level below the propertyNames schema.
        var pattern = PatternAt(fragment) ?? PatternAt(fragment[..fragment.LastIndexOf('/')]);
        var rule = pattern == LabelPattern
            ? "must be 2 to 63 lowercase letters, digits or '-', starting and ending with a letter or digit (a DNS label)"
            : $"must match the pattern {pattern}";
        return failure.EvaluationPath.Contains("/propertyNames", StringComparison.Ordinal)
            ? $"The name \"{Unescape(failure.InstanceLocation[(failure.InstanceLocation.LastIndexOf('/') + 1)..])}\" {rule}."
            : $"The value {CanonicalText(document, failure.InstanceLocation)} {rule}.";
    }

    private static string? PatternAt(string pointer) => SchemaAt(pointer)?["pattern"]?.GetValue<string>();

    private static JsonNode? SchemaAt(string pointer)
    {
        JsonNode? node = Loaded.Value.Text;
        foreach (var token in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
            node = node switch
            {
                JsonObject obj => obj[Unescape(token)],
                JsonArray array when int.TryParse(token, out var i) && i < array.Count => array[i],
                _ => null,
            };
        return node;
    }

    private static string CanonicalText(SourceDocument document, string pointer)
    {
        JsonNode? node = document.Root;
        foreach (var token in pointer.Split('/', StringSplitOptions.RemoveEmptyEntries))
            node = node is JsonObject obj ? obj[Unescape(token)] : node is JsonArray array && int.TryParse(token, out var i) ? array[i] : null;
        return node?.ToJsonString() ?? "null";
    }

    private static string Unescape(string token) => token.Replace("~1", "/").Replace("~0", "~");

    private static (JsonSchema, JsonNode) Load()
    {
        using var stream = typeof(ScoreSchema).Assembly.GetManifestResourceStream("Paddock.Workloads.score-v1b1.json")
            ?? throw new InvalidOperationException("The Score schema is not embedded in Paddock.Workloads.");
        var text = new StreamReader(stream).ReadToEnd();
        // A registry of its own, so loading the schema never clashes with another schema registered under its $id.
        return (JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() }), JsonNode.Parse(text)!);
    }
}
