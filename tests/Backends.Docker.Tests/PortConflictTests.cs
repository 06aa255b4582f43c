using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

/// <summary>The backend publishes every instance on a host port that is free when it creates the instance (chosen by
/// the backend for an engine on this machine, by the engine for a remote one). What the engine says when a host port
/// is taken is recognised as a port conflict; a port taken between the backend's choice and the engine's bind is
/// chosen again.</summary>
[Collection(EngineCollection.Name)]
public sealed class PortConflictTests(EngineFixture engine)
{
    [Fact]
    public async Task The_engines_refusal_of_a_taken_host_port_is_recognised_as_a_port_conflict()
    {
        using var taken = TakenPort(out var port);
        var created = await engine.Client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = DemoImages.V1,
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

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Instances_of_two_environments_get_different_host_ports(bool chosenByTheBackend)
    {
        using var backend = chosenByTheBackend ? engine.NewBackend() : engine.NewBackend(chooseHostPort: null);
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

    [Fact]
    public async Task A_chosen_port_taken_before_the_engine_binds_it_is_chosen_again()
    {
        using var taken = TakenPort(out var takenPort);
        var choices = 0;
        using var backend = engine.NewBackend(chooseHostPort: () => ++choices == 1 ? takenPort : HostPorts.Free("127.0.0.1"));
        var spec = EngineFixture.NewSpec();
        try
        {
            var result = await backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

            Assert.True(result.Succeeded, result.Failure?.Reason);
            Assert.Equal(2, choices);
            var instance = Assert.Single(result.Instances);
            Assert.NotEqual(takenPort, instance.Endpoint.Port);
            using var http = new HttpClient();
            Assert.Contains("v1", await http.GetStringAsync($"http://{instance.Endpoint}/"));
            Assert.Single(await ContainersOfAsync(spec));
        }
        finally
        {
            await backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_port_taken_on_every_try_fails_the_apply_as_a_port_conflict()
    {
        using var taken = TakenPort(out var takenPort);
        using var backend = engine.NewBackend(chooseHostPort: () => takenPort);
        var spec = EngineFixture.NewSpec();
        try
        {
            var result = await backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

            Assert.Equal(ApplyFailureKind.EngineRejected, result.Failure?.Kind);
            Assert.Contains($"could not publish port {spec.Port}", result.Failure!.Reason);
            Assert.Empty(await ContainersOfAsync(spec));
        }
        finally
        {
            await backend.TearDownAsync(spec.EnvironmentId, spec.ResourceName, CancellationToken.None);
        }
    }

    [Theory]
    [InlineData("unix:///run/podman/podman.sock", true)]
    [InlineData("tcp://127.0.0.1:2375", true)]
    [InlineData("http://localhost:2375", true)]
    [InlineData("tcp://10.1.2.3:2375", false)]
    [InlineData("tcp://engine.internal:2375", false)]
    public void Ports_are_chosen_here_only_for_an_engine_on_this_machine(string endpoint, bool chosenHere) =>
        Assert.Equal(chosenHere, HostPorts.ChooserFor(new DockerBackendOptions { Endpoint = new Uri(endpoint) }) is not null);

    /// <summary>A listener on a loopback port, which the engine then cannot bind.</summary>
    private static TcpListener TakenPort(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }

    private Task<IList<ContainerListResponse>> ContainersOfAsync(Domain.Backends.WorkloadSpec spec) =>
        engine.Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = DockerLabels.Filter(DockerLabels.Is(DockerLabels.EnvironmentId, spec.EnvironmentId)),
        });
}
