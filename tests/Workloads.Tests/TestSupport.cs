using Paddock.Workloads.Model;
using Paddock.Workloads.Overrides;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Validation;

namespace Paddock.Workloads.Tests;

internal static class TestSupport
{
    public static string SamplesDirectory => Path.Combine(AppContext.BaseDirectory, "ScoreSamples");

    /// <summary>Rules under which every resource type is provisionable, to test everything but that rule.</summary>
    public static WorkloadRules AnyType(params string[] types) =>
        new(new HashSet<string>(types.Append("environment"), StringComparer.Ordinal));

    public static WorkloadRules AnyTypeIn(string text) =>
        AnyType(System.Text.RegularExpressions.Regex.Matches(text, @"type: *""?([A-Za-z0-9-]+)")
            .Select(m => m.Groups[1].Value).ToArray());

    public static Workload LoadValid(string text, WorkloadRules? rules = null)
    {
        var result = WorkloadLoader.Load(text, rules ?? AnyTypeIn(text));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Workload!;
    }

    /// <summary>
    /// Outputs for every output the workload's placeholders name, as if every resource were provisioned:
    /// "<resources.db.host>" stands for ${resources.db.host}. Without <paramref name="environment"/>, environment
    /// resources offer every variable named too.
    /// </summary>
    public static ResourceOutputs EveryOutput(Workload workload, EnvironmentValues? environment = null)
    {
        var provisioned = new Dictionary<string, Dictionary<string, ConfigValue>>();
        foreach (var name in workload.Resources.Keys) provisioned[name] = new Dictionary<string, ConfigValue>();
        var texts = workload.Containers.Values.SelectMany(c =>
                c.Variables.Values.Concat(c.Files.Values.Select(f => f.Content ?? "")).Concat(c.Volumes.Values.Select(v => v.Source)))
            .Concat(workload.Resources.Values.SelectMany(r => ResourceOrder.StringsIn(r.Params)));
        var environmentVariables = new Dictionary<string, string>();
        foreach (var reference in texts.SelectMany(t => Template.Parse(t).References))
        {
            if (reference.Root != "resources" || !workload.Resources.TryGetValue(reference.Path[1], out var resource)) continue;
            var output = reference.Path.Count > 2 ? reference.Path[2] : ResourceOutputs.Self;
            if (resource.Type == EnvironmentValues.ResourceType) environmentVariables[output] = $"<{reference.Raw}>";
            else provisioned[reference.Path[1]][output] = ConfigValue.Plain($"<{reference.Raw}>");
        }
        environment ??= new EnvironmentValues(environmentVariables, new Dictionary<string, string>());
        return ResourceOutputs.For(workload, environment,
            provisioned.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, ConfigValue>)p.Value));
    }

    public static EffectiveWorkload Effective(Workload workload, WorkloadOverride? environmentOverride = null, ResourceOutputs? outputs = null)
    {
        var result = EffectiveWorkload.Build(workload, environmentOverride ?? WorkloadOverride.None, outputs ?? EveryOutput(workload));
        Assert.True(result.Effective is not null, string.Join("\n", result.Errors));
        return result.Effective!;
    }
}
