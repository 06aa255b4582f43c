using System.Text.Json.Nodes;
using Paddock.Workloads.Model;
using Paddock.Workloads.Source;

namespace Paddock.Workloads.Placeholders;

/// <summary>
/// The order to provision a workload's resources in: a resource whose params refer to another's outputs
/// (<c>${resources.other.host}</c>) comes after it. Resources that refer to each other, directly or through
/// others, form a cycle that no order satisfies: that is an error naming the cycle.
/// </summary>
public static class ResourceOrder
{
    public static (IReadOnlyList<string> Order, IReadOnlyList<WorkloadError> Errors) Compute(Workload workload)
    {
        var dependsOn = workload.Resources.ToDictionary(
            r => r.Key,
            r => StringsIn(r.Value.Params)
                .SelectMany(s => Template.Parse(s).References)
                .Where(x => x.Root == "resources" && x.Path.Count >= 2 && workload.Resources.ContainsKey(x.Path[1]))
                .Select(x => x.Path[1])
                .Distinct()
                .Order(StringComparer.Ordinal)
                .ToList());

        var order = new List<string>();
        var errors = new List<WorkloadError>();
        var state = new Dictionary<string, bool>(); // false: being visited; true: placed
        var stack = new List<string>();

        foreach (var name in dependsOn.Keys.Order(StringComparer.Ordinal)) Visit(name);
        return (order, errors);

        void Visit(string name)
        {
            if (state.TryGetValue(name, out var placed))
            {
                if (!placed)
                {
                    var cycle = stack.Skip(stack.IndexOf(name)).Append(name);
                    errors.Add(new WorkloadError(Pointer.Of("resources", name, "params"), null,
                        $"Resources depend on each other in a cycle: {string.Join(" → ", cycle)}."));
                }
                return;
            }
            state[name] = false;
            stack.Add(name);
            foreach (var dependency in dependsOn[name]) Visit(dependency);
            stack.RemoveAt(stack.Count - 1);
            state[name] = true;
            order.Add(name);
        }
    }

    internal static IEnumerable<string> StringsIn(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => StringsIn(p.Value)),
        JsonArray array => array.SelectMany(StringsIn),
        JsonValue value when value.TryGetValue<string>(out var s) => [s],
        _ => [],
    };
}
