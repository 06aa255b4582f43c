using System.Text;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker.Tests;

/// <summary>Score's <c>files</c> on the real engine: each container starts with its files in place, at their
/// targets (folders made as needed), with their modes.</summary>
[Collection(EngineCollection.Name)]
public sealed class ContainerFileTests(EngineFixture engine) : IAsyncLifetime
{
    private readonly DockerBackend _backend = engine.NewBackend();
    private readonly WorkloadSpec _spec = EngineFixture.NewSpec();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _backend.TearDownAsync(_spec.EnvironmentId, _spec.ResourceName, CancellationToken.None);
        _backend.Dispose();
    }

    private static ContainerFileSpec File(string target, string mode, string content, bool secret = false) =>
        new(target, Convert.ToInt32(mode, 8), Encoding.UTF8.GetBytes(content), secret);

    [Fact]
    public async Task The_main_container_and_its_sidecar_start_with_their_files_in_place_and_with_their_modes()
    {
        // The main container serves its own file and its mode, then what the sidecar serves from its file on localhost.
        var spec = _spec with
        {
            Command = ["/bin/sh", "-c",
                "{ cat /etc/app/app.conf; /bin/busybox stat -c %a /etc/app/app.conf; " +
                "until /bin/busybox wget -q -O - http://127.0.0.1:8081/ ; do sleep 0.2; done; } > /www/index.html; exec httpd -f -p 8080 -h /www"],
            Files = [File("/etc/app/app.conf", "0600", "greeting = hello from a file\n", secret: true)],
            Sidecars =
            [
                new SidecarSpec
                {
                    Name = "helper",
                    Image = DemoImages.V2,
                    Variables = new Dictionary<string, string> { ["PORT"] = "8081" },
                    Files = [File("/www/index.html", "0644", "the sidecar's own page\n")],
                },
            ],
        };

        var result = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.Equal("greeting = hello from a file\n600\nthe sidecar's own page\n", await Http.GetAsync(Assert.Single(result.Instances).Endpoint));
    }

    [Fact]
    public async Task A_file_replaces_what_the_image_has_at_its_target()
    {
        var spec = _spec with { Files = [File("/www/index.html", "0444", "replaced\n")] };

        var result = await _backend.ApplyAsync(spec, new EventRecorder(), CancellationToken.None);

        Assert.True(result.Succeeded, result.Failure?.Reason);
        Assert.Equal("replaced\n", await Http.GetAsync(Assert.Single(result.Instances).Endpoint));
    }
}
