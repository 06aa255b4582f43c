using Paddock.Workloads.Model;

namespace Paddock.Workloads.Placeholders;

/// <summary>
/// The outputs each resource of a workload offers to placeholders, by resource name. Resources of type
/// <c>environment</c> offer Paddock's environment values; the others offer what their provisioner reported.
/// An output named <see cref="Self"/> is what <c>${resources.name}</c> alone stands for (a volume's name, say).
/// </summary>
public sealed class ResourceOutputs
{
    public const string Self = "";

    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, ConfigValue>> _byResource;

    private ResourceOutputs(IReadOnlyDictionary<string, IReadOnlyDictionary<string, ConfigValue>> byResource) =>
        _byResource = byResource;

    /// <param name="provisioned">Outputs of the resources that are not of type environment, by resource name.</param>
    public static ResourceOutputs For(
        Workload workload,
        EnvironmentValues environment,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, ConfigValue>>? provisioned = null)
    {
        var byResource = new Dictionary<string, IReadOnlyDictionary<string, ConfigValue>>(StringComparer.Ordinal);
        var environmentOutputs = environment.AsOutputs();
        foreach (var (name, resource) in workload.Resources)
        {
            if (resource.Type == EnvironmentValues.ResourceType) byResource[name] = environmentOutputs;
            else if (provisioned?.TryGetValue(name, out var outputs) == true) byResource[name] = outputs;
        }
        return new ResourceOutputs(byResource);
    }

    /// <summary>The outputs of <paramref name="resource"/>, or null while it has reported none.</summary>
    public IReadOnlyDictionary<string, ConfigValue>? Of(string resource) => _byResource.GetValueOrDefault(resource);
}
