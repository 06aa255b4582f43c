using Paddock.Domain.Resources;

namespace Paddock.Runtime.Resources;

/// <summary>The provisioners this process has, by the Score resource type each provisions. A type with no
/// provisioner here is refused in workloads.</summary>
public sealed class ResourceProvisioners(IEnumerable<IResourceProvisioner> provisioners)
{
    private readonly Dictionary<string, IResourceProvisioner> _byType = provisioners.ToDictionary(p => p.Type, StringComparer.Ordinal);

    public IReadOnlyCollection<string> Types => _byType.Keys;

    public IResourceProvisioner? Find(string type) => _byType.GetValueOrDefault(type);
}
