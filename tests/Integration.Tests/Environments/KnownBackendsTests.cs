using Microsoft.Extensions.Configuration;
using Paddock.Portal.Features.Environments;

namespace Paddock.Integration.Tests.Environments;

public sealed class KnownBackendsTests
{
    private static KnownBackends With(Dictionary<string, string?> settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());

    [Fact]
    public void Without_configuration_the_docker_backend_is_the_only_one()
    {
        var backends = With([]);

        Assert.Equal(["docker"], backends.Names);
        Assert.Equal("docker", backends.Find("Docker"));
    }

    [Fact]
    public void Each_child_of_the_backends_section_is_a_backend_and_replaces_the_default()
    {
        var backends = With(new() { ["Backends:kind:Kind"] = "kubernetes", ["Backends:edge:Kind"] = "docker" });

        Assert.Equal(["edge", "kind"], backends.Names);
        Assert.Null(backends.Find("docker"));
        Assert.Equal("kind", backends.Find("KIND"));
    }
}
