using Paddock.Workloads.Model;

namespace Paddock.Workloads.Placeholders;

/// <summary>
/// The outputs each resource of a workload offers to placeholders, by resource name. Resources of type
/// <c>environment</c> offer Paddock's environment values; the others offer what their provisioner reported.
/// An output named <see cref="Self"/> is what <c>${resources.name}</c> alone stands for (a volume's name, say).
/// A resource without reported outputs either has none to offer (an error where it is referenced) or, when
/// planning before it is provisioned, offers every output as known only after apply.
/// </summary>
public sealed class ResourceOutputs
{
    public const string Self = "";

    private readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, ConfigValue>> _byResource;

    private ResourceOutputs(IReadOnlyDictionary<string, IReadOnlyDictionary<string, ConfigValue>> byResource, bool unprovisionedAreKnownAfterApply)
    {
        _byResource = byResource;
        UnprovisionedAreKnownAfterApply = unprovisionedAreKnownAfterApply;
    }

    /// <summary>True when resources with no reported outputs are yet to be provisioned (planning), not broken.</summary>
    public bool UnprovisionedAreKnownAfterApply { get; }

    /// <param name="provisioned">Outputs of the resources that are not of type environment, by resource name.</param>
    /// <param name="unprovisionedAreKnownAfterApply">
    /// True when planning: a resource absent from <paramref name="provisioned"/> will be provisioned by the apply,
    /// so any output of it is known only then.
    /// </param>
    public static ResourceOutputs For(
        Workload workload,
        EnvironmentValues environment,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, ConfigValue>>? provisioned = null,
        bool unprovisionedAreKnownAfterApply = false)
    {
        var byResource = new Dictionary<string, IReadOnlyDictionary<string, ConfigValue>>(StringComparer.Ordinal);
        var environmentOutputs = environment.AsOutputs();
        foreach (var (name, resource) in workload.Resources)
        {
            if (resource.Type == EnvironmentValues.ResourceType) byResource[name] = environmentOutputs;
            else if (provisioned?.TryGetValue(name, out var outputs) == true) byResource[name] = outputs;
        }
        return new ResourceOutputs(byResource, unprovisionedAreKnownAfterApply);
    }

    /// <summary>The outputs of <paramref name="resource"/>, or null while it has reported none.</summary>
    public IReadOnlyDictionary<string, ConfigValue>? Of(string resource) => _byResource.GetValueOrDefault(resource);
}
