using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

/// <summary>An instance of a workload with several containers is a group: its main container (which owns the network
/// namespace and the published port) and its sidecars. Paddock reports, repairs and removes the group as one instance,
/// the way Kubernetes treats a pod: a sidecar is never an instance or a stray of its own.</summary>
internal static class InstanceGroups
{
    /// <summary>Containers observed one by one, folded into instances. An instance is the main container as observed,
    /// unless part of it is broken while the main container runs: a sidecar that is not running (or fails its liveness probe) gives the instance its
    /// state and exit code, a missing sidecar makes it dead; either way the reconciler replaces the whole instance.
    /// Sidecars whose main container is gone are reported as one dead instance (by the first sidecar's id), so that
    /// they are removed with nothing left behind.</summary>
    public static List<ObservedInstance> Fold(IEnumerable<ObservedInstance> containers)
    {
        var instances = new List<ObservedInstance>();
        foreach (var group in containers.GroupBy(c => (c.DeploymentId, Instance: InstanceOf(c))))
        {
            var members = group.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
            var main = members.FirstOrDefault(c => !c.Labels.ContainsKey(DockerLabels.Sidecar));
            var sidecars = members.Where(c => c.Labels.ContainsKey(DockerLabels.Sidecar)).ToList();
            if (main is null)
            {
                instances.Add(sidecars[0] with { Name = group.Key.Instance, State = InstanceState.Exited, ExitCode = null, Endpoint = null, RuntimeState = "main container missing" });
                continue;
            }
            if (main.State != InstanceState.Running)
            {
                instances.Add(main);
                continue;
            }
            var expected = main.Labels.TryGetValue(DockerLabels.Sidecars, out var names)
                ? names.Split(',', StringSplitOptions.RemoveEmptyEntries)
                : [];
            if (sidecars.FirstOrDefault(s => s.State != InstanceState.Running) is { } stopped)
                instances.Add(main with { State = stopped.State, ExitCode = stopped.ExitCode, Endpoint = null, RuntimeState = stopped.RuntimeState });
            else if (expected.Any(name => !sidecars.Any(s => s.Labels[DockerLabels.Sidecar] == name)))
                instances.Add(main with { State = InstanceState.Exited, ExitCode = null, Endpoint = null, RuntimeState = "sidecar missing" });
            else
                instances.Add(main);
        }
        return instances.OrderBy(i => i.Name, StringComparer.Ordinal).ToList();
    }

    private static string InstanceOf(ObservedInstance container) =>
        container.Labels.TryGetValue(DockerLabels.Instance, out var instance) ? instance : container.Name;
}
