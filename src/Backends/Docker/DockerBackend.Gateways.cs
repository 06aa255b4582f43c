using System.Net;
using Docker.DotNet.Models;

namespace Paddock.Backends.Docker;

/// <summary>What a relay on the host's side of the environments' networks needs (the workers' container-host relay
/// for loopback-only resource servers): where those networks' gateways are, and when a container is about to use one.</summary>
public sealed partial class DockerBackend
{
    /// <summary>The gateway addresses of Paddock's environment networks on this engine: the host's end of each
    /// bridge, which Podman names <c>host.containers.internal</c> in the containers on it. A network's bridge (and so
    /// its address) exists on the host only while a container is attached.</summary>
    public async Task<IReadOnlyList<IPAddress>> NetworkGatewaysAsync(CancellationToken ct)
    {
        var networks = await _client.Networks.ListNetworksAsync(new NetworksListParameters
        {
            Filters = DockerLabels.Filter(DockerLabels.Is(DockerLabels.Managed, "true")),
        }, ct);
        return networks.SelectMany(n => n.IPAM?.Config ?? [])
            .Select(c => IPAddress.TryParse(c.Gateway, out var gateway) ? gateway : null)
            .OfType<IPAddress>()
            .Distinct()
            .ToList();
    }

    /// <summary>Calls <paramref name="created"/> each time the engine creates one of Paddock's containers: its network
    /// exists by then, and the container has not started. Ends when <paramref name="ct"/> is cancelled (or the engine
    /// ends the stream; the task then faults or completes).</summary>
    public Task WatchContainerCreationsAsync(Action created, CancellationToken ct)
    {
        var filters = DockerLabels.Filter(DockerLabels.Is(DockerLabels.Managed, "true"));
        filters["type"] = new Dictionary<string, bool> { ["container"] = true };
        filters["event"] = new Dictionary<string, bool> { ["create"] = true };
        return _client.System.MonitorEventsAsync(new ContainerEventsParameters { Filters = filters }, new Progress(_ => created()), ct);
    }
}
