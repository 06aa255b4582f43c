using Docker.DotNet.Models;
using Paddock.Domain.Backends;
using Paddock.Domain.Names;

namespace Paddock.Backends.Docker;

/// <summary>One environment's containers reaching another's workload (<c>service-port</c>): every main container has
/// the alias of its environment's name on its environment's network, and a consumer's containers join that network
/// too (<see cref="WorkloadSpec.Networks"/>), so the name resolves there (the engine's DNS on user networks).</summary>
public sealed partial class DockerBackend : IWorkloadAddressBackend
{
    public string HostOf(ResourceName environment, AppName app) => environment.Value;

    public string? NetworkOf(ResourceName environment) => environment.Value;

    /// <summary>Connects a new instance to the other environments' networks before it starts; null when done.</summary>
    private async Task<ApplyResult?> JoinNetworksAsync(WorkloadSpec spec, string containerId, string name, DeploymentEvents events, CancellationToken ct)
    {
        foreach (var network in spec.Networks.Where(n => n != spec.ResourceName.Value).Distinct(StringComparer.Ordinal))
        {
            try
            {
                await _client.Networks.ConnectNetworkAsync(network, new NetworkConnectParameters { Container = containerId }, ct);
                events.Info(BackendEventPhase.Network, $"Instance {name} joined network {network}", name);
            }
            catch (Exception e) when (DockerFailures.IsNotFound(e))
            {
                return ApplyResult.Failed(ApplyFailureKind.EngineRejected,
                    $"Instance {name} cannot reach environment {network}: the engine has no network {network} (has it deployed yet?).");
            }
        }
        return null;
    }

    /// <summary>Containers of other environments that joined this environment's network leave it, so the network can
    /// go; what they reached is going with it.</summary>
    private async Task DisconnectOthersAsync(ResourceName resourceName, CancellationToken ct)
    {
        NetworkResponse network;
        try
        {
            network = await _client.Networks.InspectNetworkAsync(resourceName.Value, ct);
        }
        catch (Exception e) when (DockerFailures.IsNotFound(e))
        {
            return;
        }
        foreach (var containerId in (network.Containers ?? new Dictionary<string, EndpointResource>()).Keys)
        {
            try
            {
                await _client.Networks.DisconnectNetworkAsync(resourceName.Value, new NetworkDisconnectParameters { Container = containerId, Force = true }, ct);
            }
            catch (Exception e) when (DockerFailures.IsNotFound(e)) { }
        }
    }
}
