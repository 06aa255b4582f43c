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
    private static readonly Lazy<JsonSchema> Schema = new(Load);

    /// <summary>Every place the document breaks the schema, each once, in document order.</summary>
    public static IReadOnlyList<WorkloadError> Validate(SourceDocument document)
    {
        var instance = JsonSerializer.SerializeToElement(document.Root);
        var results = Schema.Value.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return [];

        var failures = (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => new SchemaFailure(
                d.InstanceLocation.ToString(), d.EvaluationPath.ToString(), e.Key, e.Value)))
            .Prepend(results.Errors is { Count: > 0 } top
                ? new SchemaFailure(results.InstanceLocation.ToString(), "", top.Keys.First(), top.Values.First())
                : null)
            .OfType<SchemaFailure>()
            .ToList();

        return SchemaFailure.Relevant(failures)
            .Select(f => document.Error(f.InstanceLocation, f.Message))
            .DistinctBy(e => (e.Pointer, e.Message))
            .OrderBy(e => e.Position?.Line ?? 0).ThenBy(e => e.Position?.Column ?? 0)
            .ToList();
    }

    private static JsonSchema Load()
    {
        using var stream = typeof(ScoreSchema).Assembly.GetManifestResourceStream("Paddock.Workloads.score-v1b1.json")
            ?? throw new InvalidOperationException("The Score schema is not embedded in Paddock.Workloads.");
        using var reader = new StreamReader(stream);
        // A registry of its own, so loading the schema never clashes with another schema registered under its $id.
        return JsonSchema.FromText(reader.ReadToEnd(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }
}
