using Paddock.Domain.Backends;
using Paddock.Domain.Registries;

namespace Paddock.Domain.Tests.Registries;

public sealed class RegistryHostTests
{
    [Theory]
    [InlineData("nginx", "docker.io")]
    [InlineData("nginx:1.27", "docker.io")]
    [InlineData("library/nginx:1.27", "docker.io")]
    [InlineData("docker.io/library/nginx", "docker.io")]
    [InlineData("index.docker.io/team/app:1", "docker.io")]
    [InlineData("registry.example.com/team/app:1", "registry.example.com")]
    [InlineData("Registry.Example.com/team/app@sha256:0000000000000000000000000000000000000000000000000000000000000000", "registry.example.com")]
    [InlineData("127.0.0.1:5399/x:1", "127.0.0.1:5399")]
    [InlineData("localhost/paddock-demo:1", "localhost")]
    [InlineData("localhost:5000/app", "localhost:5000")]
    public void An_image_names_its_registry_with_docker_hub_as_the_default(string image, string host) =>
        Assert.Equal(host, RegistryHost.OfImage(image));

    [Theory]
    [InlineData("https://index.docker.io/v1/", "docker.io")]
    [InlineData("registry.example.com", "registry.example.com")]
    [InlineData("https://registry.example.com:443/v2/", "registry.example.com")]
    [InlineData("http://127.0.0.1:5000/", "127.0.0.1:5000")]
    [InlineData(" REGISTRY.example.com:5000 ", "registry.example.com:5000")]
    public void A_server_as_typed_becomes_the_host_it_names(string server, string host) =>
        Assert.Equal(host, RegistryHost.Normalize(server));

    [Theory]
    [InlineData("registry.example.com", "registry.example.com/team/app:1", true)]
    [InlineData("https://registry.example.com/", "registry.example.com/team/app:1", true)]
    [InlineData("registry.example.com", "127.0.0.1:5399/x:1", false)]
    [InlineData("registry.example.com", "registry.example.com.evil.test/x:1", false)]
    [InlineData("registry.example.com:5000", "registry.example.com/x:1", false)]
    [InlineData("docker.io", "team/app:1", true)]
    [InlineData("docker.io", "ghcr.io/team/app:1", false)]
    public void Credentials_are_for_images_on_their_own_registry_only(string server, string image, bool sent)
    {
        var credentials = new RegistryCredentials(server, "ci", "pw");
        Assert.Equal(sent, credentials.For(image) is not null);
    }
}

public sealed class RegistryAllowListTests
{
    [Fact]
    public void Empty_lists_allow_every_registry() =>
        Assert.Null(new RegistryAllowList([], null).Check("127.0.0.1:5399/x:1"));

    [Fact]
    public void The_platform_list_refuses_other_registries_and_names_the_allowed_ones()
    {
        var list = new RegistryAllowList(["registry.example.com", "docker.io"], null);
        Assert.Null(list.Check("registry.example.com/team/app:1"));
        Assert.Null(list.Check("nginx:1"));
        Assert.Contains("registry.example.com, docker.io", list.Check("127.0.0.1:5399/x:1"));
    }

    [Fact]
    public void A_team_list_narrows_the_platform_list()
    {
        var list = new RegistryAllowList(["registry.example.com", "docker.io"], ["registry.example.com"]);
        Assert.Null(list.Check("registry.example.com/team/app:1"));
        Assert.NotNull(list.Check("nginx:1"));
    }

    [Fact]
    public void A_team_cannot_widen_the_platform_list()
    {
        Assert.NotNull(RegistryAllowList.CheckTeamList(["ghcr.io"], ["registry.example.com"]));
        Assert.Null(RegistryAllowList.CheckTeamList(["https://registry.example.com/"], ["registry.example.com"]));
        Assert.Null(RegistryAllowList.CheckTeamList(["ghcr.io"], []));
        Assert.NotNull(RegistryAllowList.CheckTeamList(["bad host"], []));
    }
}
