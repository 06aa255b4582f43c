using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Paddock.Backends.Docker.Tests;

/// <summary>The backend publishes every instance on a host port the engine chooses, so its own deployments cannot
/// collide on a port. What the engine says when a host port is taken is still recognised as a port conflict (an
/// engine set up to publish fixed ports, a port taken between the engine's choice and its bind).</summary>
[Collection(EngineCollection.Name)]
public sealed class PortConflictTests(EngineFixture engine)
{
    [Fact]
    public async Task The_engines_refusal_of_a_taken_host_port_is_recognised_as_a_port_conflict()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var created = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = EngineFixture.DemoV1,
            Labels = new Dictionary<string, string> { [EngineFixture.TestLabel] = "backends-docker" },
            ExposedPorts = new Dictionary<string, EmptyStruct> { ["8080/tcp"] = default },
            HostConfig = new HostConfig
            {
                PortBindings = new Dictionary<string, IList<PortBinding>>
                {
                    ["8080/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = port.ToString(System.Globalization.CultureInfo.InvariantCulture) }],
                },
            },
        });
        try
        {
            var refused = await Assert.ThrowsAsync<DockerApiException>(() => engine.Client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters()));

            var message = DockerFailures.Message(refused);
            Assert.True(DockerFailures.IsPortConflict(message), message);
            Assert.Contains("already in use", message);
        }
        finally
        {
            await engine.Client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    [Fact]
    public async Task Instances_of_two_environments_get_different_engine_chosen_host_ports()
    {
        using var backend = engine.NewBackend();
        var (first, second) = (EngineFixture.NewSpec(), EngineFixture.NewSpec());
        try
        {
            var a = await backend.ApplyAsync(first with { Replicas = 2 }, new EventRecorder(), CancellationToken.None);
            var b = await backend.ApplyAsync(second with { Replicas = 2 }, new EventRecorder(), CancellationToken.None);

            Assert.True(a.Succeeded && b.Succeeded, a.Failure?.Reason ?? b.Failure?.Reason);
            var ports = a.Instances.Concat(b.Instances).Select(i => i.Endpoint.Port).ToList();
            Assert.Equal(4, ports.Distinct().Count());
        }
        finally
        {
            await backend.TearDownAsync(first.EnvironmentId, first.ResourceName, CancellationToken.None);
            await backend.TearDownAsync(second.EnvironmentId, second.ResourceName, CancellationToken.None);
        }
    }
}
