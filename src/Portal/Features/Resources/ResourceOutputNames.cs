using Paddock.Runtime.Resources;
using Paddock.Workloads.Model;
using Paddock.Workloads.Placeholders;
using Paddock.Workloads.Source;

namespace Paddock.Portal.Features.Resources;

/// <summary>Container variables that name an output a provisioned resource will never have
/// (<c>${resources.db.hostname}</c> for a postgres database): refused when the workload is planned, rather than
/// failing the deployment once the database exists. Types whose outputs are known only once provisioned (admins'
/// executables) are not checked here; the deployment names a missing one.</summary>
public static class ResourceOutputNames
{
    public static IEnumerable<(string Pointer, string Message)> Unknown(Workload workload, ResourceProvisioners provisioners)
    {
        foreach (var (containerName, container) in workload.Containers)
            foreach (var (variable, value) in container.Variables)
                foreach (var part in Template.Parse(value).Parts)
                {
                    if (part is not Reference { Root: "resources", Path.Count: 3 } reference
                        || !workload.Resources.TryGetValue(reference.Path[1], out var resource)
                        || provisioners.Find(resource.Type)?.OutputNames is not { } outputs
                        || outputs.Contains(reference.Path[2]))
                        continue;
                    yield return (Pointer.Of("containers", containerName, "variables", variable),
                        $"Resource '{reference.Path[1]}' ({resource.Type}) has no output '{reference.Path[2]}'; it has: {string.Join(", ", outputs.Order(StringComparer.Ordinal))}.");
                }
    }
}
