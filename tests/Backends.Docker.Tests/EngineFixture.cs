using Docker.DotNet;
using Docker.DotNet.Models;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;
using Paddock.Domain.Names;

namespace Paddock.Backends.Docker.Tests;

[CollectionDefinition(Name)]
public sealed class EngineCollection : ICollectionFixture<EngineFixture>
{
    public const string Name = "engine";
}

/// <summary>A real Docker-compatible engine: <c>PADDOCK_TEST_DOCKER_HOST</c> when set (test.sh starts one),
/// else a private Podman service in a temp dir, stopped and removed afterwards. Holds the demo images.</summary>
public sealed class EngineFixture : IAsyncLifetime
{
    public const string TestLabel = "paddock.test";

    private PodmanService? _service;

    public Uri Endpoint { get; private set; } = null!;
    public DockerClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("PADDOCK_TEST_DOCKER_HOST");
        if (string.IsNullOrEmpty(given)) _service = await PodmanService.StartAsync();
        Endpoint = _service?.Endpoint ?? new Uri(given!);
        Client = new DockerClientBuilder().WithEndpoint(Endpoint).Build();
        await PodmanService.WaitUntilAnswersAsync(Client);
        await DemoImages.ImportIfMissingAsync(Client, DemoImages.V1, "1");
        await DemoImages.ImportIfMissingAsync(Client, DemoImages.V2, "2");
    }

    public DockerBackend NewBackend(TimeSpan? stopTimeout = null) =>
        new(Options(stopTimeout), TimeProvider.System);

    /// <param name="chooseHostPort">How the backend chooses instances' host ports; null lets the engine choose.</param>
    public DockerBackend NewBackend(Func<int>? chooseHostPort) => new(Options(null), TimeProvider.System, chooseHostPort);

    /// <summary>A backend whose options the test adjusts (probe timings, ...).</summary>
    public DockerBackend NewBackend(Action<DockerBackendOptions> configure)
    {
        var options = Options(null);
        configure(options);
        return new(options, TimeProvider.System);
    }

    private DockerBackendOptions Options(TimeSpan? stopTimeout) =>
        new() { Endpoint = Endpoint, StopTimeout = stopTimeout ?? TimeSpan.FromSeconds(2) };

    /// <summary>A workload of a fresh environment, so tests never see each other's containers.</summary>
    public static WorkloadSpec NewSpec(string image = DemoImages.V1, Guid? environmentId = null)
    {
        var app = AppName.Parse($"t{Guid.NewGuid().ToString("N")[..7]}");
        var environment = EnvironmentName.Parse("dev");
        return new WorkloadSpec
        {
            EnvironmentId = environmentId ?? Guid.NewGuid(),
            ResourceName = ResourceName.For(app, environment),
            AppName = app,
            EnvironmentName = environment,
            DeploymentId = Guid.CreateVersion7(),
            Image = image,
            Port = 8080,
            HealthCheck = new HealthCheck(HealthCheckKind.Http, "/", IntervalSeconds: 1, TimeoutSeconds: 20),
            Labels = new Dictionary<string, string> { [TestLabel] = "backends-docker" },
        };
    }

    public async Task DisposeAsync()
    {
        await RemoveTestContainersAndNetworksAsync();
        Client.Dispose();
        if (_service is not null) await _service.DisposeAsync();
    }

    private async Task RemoveTestContainersAndNetworksAsync()
    {
        var containers = await Client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = DockerLabels.Filter($"{TestLabel}=backends-docker"),
        });
        var networks = containers.SelectMany(c => c.NetworkSettings?.Networks?.Keys ?? []).ToHashSet();
        foreach (var container in containers)
            await Client.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        foreach (var network in networks.Where(n => n.StartsWith('t')))
        {
            try { await Client.Networks.DeleteNetworkAsync(network); }
            catch (DockerApiException) { }
        }
    }
}
