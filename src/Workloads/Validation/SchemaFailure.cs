using System.Text.RegularExpressions;

namespace Paddock.Workloads.Validation;

/// <summary>One node of the schema evaluator's list output: a subschema applied at a place in the document.</summary>
internal sealed record SchemaNode(bool IsValid, string InstanceLocation, string EvaluationPath, string SchemaLocation,
    IReadOnlyDictionary<string, string> Errors);

/// <summary>One failure a user should read: where, which keyword of which subschema, and what.</summary>
internal sealed partial record SchemaFailure(string InstanceLocation, string EvaluationPath, string SchemaLocation, string Keyword, string Message)
{
    private static readonly string[] Combinators = ["/oneOf/", "/anyOf/"];

    /// <summary>The Score schema's oneOf/anyOf have two or three branches; ten is plenty.</summary>
    private const int MaxBranches = 10;

    /// <summary>Bounds the work (and the answer) for a document that is wrong everywhere.</summary>
    private const int MaxFailures = 1000;

    /// <summary>
    /// The evaluator reports every subschema that failed, including those whose failure is fine: the inside
    /// of a "not", the branches of a "oneOf" that another branch satisfied, the deprecated list form of
    /// "files" when the map form was written. This keeps only failures that make the document invalid, and
    /// says "one of these properties is required" once instead of once per alternative.
    /// </summary>
    public static IReadOnlyList<SchemaFailure> Relevant(IReadOnlyList<SchemaNode> nodes)
    {
        var valid = nodes.Where(n => n.IsValid).Select(n => (n.EvaluationPath, n.InstanceLocation)).ToHashSet();
        var failures = nodes
            .Where(n => !n.IsValid)
            .SelectMany(n => n.Errors.Select(e => new SchemaFailure(n.InstanceLocation, n.EvaluationPath, n.SchemaLocation, e.Key, e.Value)))
            .Concat(OneOfWithSeveralMatches(nodes, valid))
            .Where(f => !UnderValidSubschema(f, valid) && !InSatisfiedCombinator(f, valid))
            .Take(MaxFailures)
            .ToList();

        failures = failures
            .Where(f => !(f.Keyword == "type" && BranchOf(f.EvaluationPath) is not null && HasOtherAtOrBelow(failures, f)))
            .ToList();
        return MergeRequiredAlternatives(failures);
    }

    /// <summary>
    /// A oneOf that fails because more than one branch holds: the evaluator marks its schema invalid without a
    /// message, so one is made here (ScoreSchema words it from the schema).
    /// </summary>
    private static IEnumerable<SchemaFailure> OneOfWithSeveralMatches(IReadOnlyList<SchemaNode> nodes, HashSet<(string, string)> valid) =>
        nodes.Where(n => !n.IsValid && n.Errors.Count == 0
                         && Enumerable.Range(0, MaxBranches).Count(k => valid.Contains(($"{n.EvaluationPath}/oneOf/{k}", n.InstanceLocation))) >= 2)
            .Select(n => new SchemaFailure(n.InstanceLocation, n.EvaluationPath, n.SchemaLocation, "oneOf",
                "More than one of the alternatives holds; exactly one may."));

    /// <summary>
    /// True when a subschema the failure sits in holds at a place that contains the failure's place. (The same
    /// subschema, additionalProperties say, applies to every property: only the one at this place counts.)
    /// </summary>
    private static bool UnderValidSubschema(SchemaFailure failure, HashSet<(string, string)> valid)
    {
        var path = failure.EvaluationPath;
        for (var i = path.LastIndexOf('/'); i > 0; i = path.LastIndexOf('/', i - 1))
            if (AtOrAbove(failure.InstanceLocation).Any(place => valid.Contains((path[..i], place)))) return true;
        return false;
    }

    /// <summary>True when the failure is inside one branch of a oneOf/anyOf and another branch of it holds there.</summary>
    private static bool InSatisfiedCombinator(SchemaFailure failure, HashSet<(string, string)> valid)
    {
        var path = failure.EvaluationPath;
        foreach (var combinator in Combinators)
        {
            for (var at = path.IndexOf(combinator, StringComparison.Ordinal); at >= 0;
                 at = path.IndexOf(combinator, at + 1, StringComparison.Ordinal))
            {
                var prefix = path[..(at + combinator.Length)];
                if (Enumerable.Range(0, MaxBranches).Any(k =>
                        AtOrAbove(failure.InstanceLocation).Any(place => valid.Contains((prefix + k, place)))))
                    return true;
            }
        }
        return false;
    }

    /// <summary>The place itself and every place that contains it, up to the whole document ("").</summary>
    private static IEnumerable<string> AtOrAbove(string location)
    {
        for (var i = location.Length; i >= 0; i = i == 0 ? -1 : location.LastIndexOf('/', i - 1))
            yield return location[..i];
    }

    /// <summary>The path of the oneOf/anyOf keyword when <paramref name="evaluationPath"/> is directly one of its branches.</summary>
    private static string? BranchOf(string evaluationPath)
    {
        var match = BranchPattern().Match(evaluationPath);
        return match.Success ? match.Groups["combinator"].Value : null;
    }

    private static bool HasOtherAtOrBelow(List<SchemaFailure> failures, SchemaFailure failure) =>
        failures.Any(f => f != failure && !(f.Keyword == "type" && f.InstanceLocation == failure.InstanceLocation)
                          && (f.InstanceLocation == failure.InstanceLocation
                              || f.InstanceLocation.StartsWith(failure.InstanceLocation + "/", StringComparison.Ordinal)));

    private static List<SchemaFailure> MergeRequiredAlternatives(List<SchemaFailure> failures)
    {
        var merged = new List<SchemaFailure>();
        foreach (var group in failures.GroupBy(f => f.Keyword == "required" ? BranchOf(f.EvaluationPath) : null))
        {
            var alternatives = group.ToList();
            if (group.Key is null || alternatives.Count < 2) { merged.AddRange(alternatives); continue; }
            var names = alternatives.SelectMany(f => QuotedName().Matches(f.Message).Select(m => m.Groups[1].Value)).Distinct();
            var quantity = group.Key.EndsWith("/oneOf", StringComparison.Ordinal) ? "Exactly one" : "At least one";
            merged.Add(alternatives[0] with
            {
                Message = $"{quantity} of the properties {string.Join(", ", names.Select(n => $"\"{n}\""))} is required.",
            });
        }
        return merged;
    }

    [GeneratedRegex(@"^(?<combinator>.*/(oneOf|anyOf))/\d+$")]
    private static partial Regex BranchPattern();

    [GeneratedRegex("\"([^\"]+)\"")]
    private static partial Regex QuotedName();
}
