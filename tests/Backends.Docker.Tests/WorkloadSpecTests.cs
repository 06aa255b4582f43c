using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

public sealed class WorkloadSpecTests
{
    [Fact]
    public void Secrets_win_over_variables_of_the_same_name()
    {
        var spec = EngineFixture.NewSpec() with
        {
            Variables = new Dictionary<string, string> { ["A"] = "plain", ["B"] = "kept" },
            Secrets = new Dictionary<string, string> { ["A"] = "secret" },
        };

        Assert.Equal(new Dictionary<string, string> { ["A"] = "secret", ["B"] = "kept" }, spec.Environment());
    }

    [Fact]
    public void Printing_a_spec_or_its_credentials_never_shows_secret_values()
    {
        var spec = EngineFixture.NewSpec() with
        {
            Secrets = new Dictionary<string, string> { ["TOKEN"] = "hunter2" },
            RegistryCredentials = new RegistryCredentials("registry.example.com", "bot", "pa55word"),
        };

        Assert.DoesNotContain("hunter2", spec.ToString());
        Assert.DoesNotContain("pa55word", spec.ToString());
        Assert.DoesNotContain("pa55word", spec.RegistryCredentials!.ToString());
    }

    [Fact]
    public void Container_names_use_the_random_end_of_the_deployment_id()
    {
        var spec = EngineFixture.NewSpec();
        var later = spec with { DeploymentId = Guid.CreateVersion7() };

        Assert.NotEqual(DockerLabels.ContainerName(spec, 1), DockerLabels.ContainerName(later, 1));
        Assert.Matches($"^{spec.ResourceName.Value}-[0-9a-f]{{8}}-2$", DockerLabels.ContainerName(spec, 2));
    }
}
