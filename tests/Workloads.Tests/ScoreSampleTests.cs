using Paddock.Workloads.Export;
using Paddock.Workloads.Planning;
using Paddock.Workloads.Validation;
using static Paddock.Workloads.Tests.TestSupport;

namespace Paddock.Workloads.Tests;

/// <summary>The Score project's own sample workloads (see ScoreSamples/README.md) against the whole pipeline.</summary>
public class ScoreSampleTests
{
    public static TheoryData<string> Samples() => new(SampleFiles());

    private static List<string> SampleFiles() =>
        Directory.EnumerateFiles(SamplesDirectory, "*.yaml", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(SamplesDirectory, file))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void The_samples_of_both_score_repositories_are_all_there()
    {
        var samples = SampleFiles();
        Assert.Contains(Path.Combine("spec", "score-full.yaml"), samples);
        Assert.Equal(2, samples.Count(s => s.StartsWith("spec")));
        Assert.Equal(41, samples.Count(s => s.StartsWith("examples")));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_sample_parses_validates_and_plans_empty_against_itself(string sample)
    {
        var workload = LoadValid(File.ReadAllText(Path.Combine(SamplesDirectory, sample)));
        var effective = Effective(workload);

        var plan = WorkloadPlanner.Plan(effective, Effective(workload));

        Assert.True(plan.IsEmpty, plan.Summary);
        Assert.Equal("Plan: 0 to add, 0 to change, 0 to destroy", plan.Summary);
        Assert.All(plan.Resources, r => Assert.Equal(PlanAction.Keep, r.Action));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_sample_planned_from_nothing_adds_every_container_and_resource(string sample)
    {
        var workload = LoadValid(File.ReadAllText(Path.Combine(SamplesDirectory, sample)));

        var plan = WorkloadPlanner.Plan(null, Effective(workload));

        Assert.Equal(workload.Containers.Count + workload.Resources.Count, plan.ToAdd);
        Assert.Equal($"Plan: {plan.ToAdd} to add, 0 to change, 0 to destroy", plan.Summary);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_sample_exported_and_read_again_is_the_same_workload(string sample)
    {
        var text = File.ReadAllText(Path.Combine(SamplesDirectory, sample));
        var workload = LoadValid(text);

        foreach (var exported in new[] { WorkloadExport.ToYaml(workload), WorkloadExport.ToJson(workload) })
        {
            var again = LoadValid(exported, AnyTypeIn(text));
            Assert.Equal(CanonicalWorkload.ContentHash(workload), CanonicalWorkload.ContentHash(again));
            Assert.True(WorkloadPlanner.Plan(Effective(workload), Effective(again)).IsEmpty, exported);
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_sample_is_refused_for_each_resource_type_Paddock_cannot_provision_yet(string sample)
    {
        var text = File.ReadAllText(Path.Combine(SamplesDirectory, sample));
        var workload = LoadValid(text);
        var unprovisionable = workload.Resources.Where(r => r.Value.Type != "environment").ToList();

        var result = WorkloadLoader.Load(text, WorkloadRules.Default);

        Assert.Equal(unprovisionable.Count, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Contains("Paddock cannot provision resources of type", e.Message));
        Assert.Equal(unprovisionable.Select(r => $"/resources/{r.Key}/type").Order(), result.Errors.Select(e => e.Pointer).Order());
    }
}
