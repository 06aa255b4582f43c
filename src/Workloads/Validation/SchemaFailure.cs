namespace Paddock.Workloads.Validation;

/// <summary>One keyword's failure as the schema evaluator reports it.</summary>
internal sealed record SchemaFailure(string InstanceLocation, string EvaluationPath, string Keyword, string Message)
{
    /// <summary>
    /// The failures a user should read. The schema says "files" (and "volumes") is either the deprecated
    /// list or a map: when one form is written and wrong, the evaluator also reports that it is not the other
    /// form; those "wrong form" failures are dropped whenever a failure inside the written form explains more.
    /// </summary>
    public static IEnumerable<SchemaFailure> Relevant(IReadOnlyList<SchemaFailure> failures)
    {
        foreach (var failure in failures)
        {
            if (failure.Keyword is "oneOf" or "anyOf" or "allOf" or "$ref" && HasDeeper(failures, failure)) continue;
            if (failure.Keyword == "type" && IsBranch(failure.EvaluationPath) && HasOtherAtOrBelow(failures, failure)) continue;
            yield return failure;
        }
    }

    private static bool IsBranch(string evaluationPath) =>
        evaluationPath.Contains("/oneOf/", StringComparison.Ordinal) || evaluationPath.Contains("/anyOf/", StringComparison.Ordinal);

    private static bool HasDeeper(IReadOnlyList<SchemaFailure> failures, SchemaFailure failure) =>
        failures.Any(f => f != failure && f.EvaluationPath.StartsWith(failure.EvaluationPath + "/", StringComparison.Ordinal)
                                      && f.Keyword is not "oneOf" and not "anyOf" and not "allOf" and not "$ref");

    private static bool HasOtherAtOrBelow(IReadOnlyList<SchemaFailure> failures, SchemaFailure failure) =>
        failures.Any(f => f != failure && f.Keyword != "type" && f.Keyword is not "oneOf" and not "anyOf" and not "allOf" and not "$ref"
                          && (f.InstanceLocation == failure.InstanceLocation
                              || f.InstanceLocation.StartsWith(failure.InstanceLocation + "/", StringComparison.Ordinal)));
}
