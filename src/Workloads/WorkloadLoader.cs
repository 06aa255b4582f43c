using Paddock.Workloads.Model;
using Paddock.Workloads.Source;
using Paddock.Workloads.Validation;

namespace Paddock.Workloads;

/// <summary>
/// Reads a submitted Score workload (YAML or JSON) and checks it against the Score schema and Paddock's rules.
/// Every error is reported at once, each at its line, column and JSON pointer. The model is built only from a
/// document the schema accepts, so Paddock's rules are checked once the schema is satisfied.
/// </summary>
public static class WorkloadLoader
{
    public static WorkloadLoadResult Load(string text, WorkloadRules rules)
    {
        var read = SourceDocument.Read(text);
        if (read.Document is not { } source) return new WorkloadLoadResult(null, null, read.Errors);

        var schemaErrors = ScoreSchema.Validate(source);
        if (schemaErrors.Count > 0) return new WorkloadLoadResult(null, source, schemaErrors);

        var workload = WorkloadReader.Read(source.Root!.AsObject());
        var ruleErrors = PaddockRules.Check(workload, source, rules)
            .OrderBy(e => e.Position?.Line ?? 0).ThenBy(e => e.Position?.Column ?? 0)
            .ToList();
        return new WorkloadLoadResult(ruleErrors.Count == 0 ? workload : null, source, ruleErrors);
    }
}

/// <param name="Workload">Set when there are no errors.</param>
/// <param name="Source">The text read as a tree, to locate later errors (substitution); null when it could not be read.</param>
public sealed record WorkloadLoadResult(Workload? Workload, SourceDocument? Source, IReadOnlyList<WorkloadError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
