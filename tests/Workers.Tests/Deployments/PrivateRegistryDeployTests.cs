using Paddock.Domain.Backends;
using Paddock.Domain.Deployments;
using Paddock.Domain.Environments;
using Paddock.Workers.Tests.Infrastructure;

namespace Paddock.Workers.Tests.Deployments;

/// <summary>A worker world whose engine may pull from a real private registry (htpasswd auth) on loopback.</summary>
public sealed class PrivateRegistryWorld : IAsyncLifetime
{
    public RegistryFixture Registry { get; } = new();
    public WorkerWorld World { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Registry.InitializeAsync();
        World = new WorkerWorld(Registry.Endpoint);
        await World.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        if (World is not null) await World.DisposeAsync();
        await Registry.DisposeAsync();
    }
}

public sealed class PrivateRegistryDeployTests(PrivateRegistryWorld registry) : IClassFixture<PrivateRegistryWorld>
{
    private WorkerWorld World => registry.World;

    /// <summary>The demo image, only in the registry under a repository of its own (so no test finds it already pulled).</summary>
    private async Task<string> PrivateImageAsync()
    {
        var repository = $"w{Guid.NewGuid().ToString("N")[..8]}";
        await registry.Registry.PushAsync(DemoImages.V1, repository, "1");
        return $"{registry.Registry.Address}/{repository}:1";
    }

    private RegistryCredentials Credentials(string password) => new(registry.Registry.Address, RegistryFixture.Username, password);

    [RegistryFact]
    public async Task An_app_with_registry_credentials_deploys_an_image_pulled_from_the_private_registry()
    {
        var environment = await World.CreateEnvironmentAsync(image: await PrivateImageAsync(), registry: Credentials(RegistryFixture.Password));
        var deploymentId = await World.QueueDeploymentAsync(environment.Id);

        await World.DeployAsync(deploymentId);

        var deployment = await World.DeploymentAsync(deploymentId);
        Assert.True(deployment.Status == DeploymentStatus.Succeeded, deployment.FailureReason);
        Assert.StartsWith("sha256:", deployment.ImageDigest);
        Assert.Equal("paddock demo v1\n", await World.GetThroughEdgeAsync($"{environment.ResourceName}.localhost"));
        var events = await World.EventsAsync(environment.Id);
        Assert.Contains(events, e => e.Phase == "pull" && e.Message.StartsWith("Pulled ", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.Message.Contains(RegistryFixture.Password));
    }

    [RegistryFact]
    public async Task A_wrong_registry_password_fails_the_deployment_saying_the_registry_refused_the_credentials()
    {
        var environment = await World.CreateEnvironmentAsync(image: await PrivateImageAsync(), registry: Credentials("not-the-password"));
        var deploymentId = await World.QueueDeploymentAsync(environment.Id);

        await World.DeployAsync(deploymentId);

        var deployment = await World.DeploymentAsync(deploymentId);
        Assert.Equal(DeploymentStatus.Failed, deployment.Status);
        Assert.Contains("registry refused the credentials", deployment.FailureReason);
        Assert.DoesNotContain("not-the-password", deployment.FailureReason);
        Assert.Equal(EnvironmentStatus.Failed, (await World.EnvironmentAsync(environment.Id)).Status);
        Assert.Empty(await World.ContainersAsync(environment.Id));
    }
}
