using System.Diagnostics;
using System.Formats.Tar;
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
    public const string DemoV1 = "localhost/paddock-demo:1";
    public const string DemoV2 = "localhost/paddock-demo:2";
    public const string TestLabel = "paddock.test";

    private Process? service;
    private string? serviceDir;

    public Uri Endpoint { get; private set; } = null!;
    public DockerClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var given = Environment.GetEnvironmentVariable("PADDOCK_TEST_DOCKER_HOST");
        Endpoint = string.IsNullOrEmpty(given) ? await StartPodmanAsync() : new Uri(given);
        Client = new DockerClientBuilder().WithEndpoint(Endpoint).Build();
        await WaitForEngineAsync();
        await ImportDemoImageIfMissingAsync(DemoV1, "1");
        await ImportDemoImageIfMissingAsync(DemoV2, "2");
    }

    public DockerBackend NewBackend(TimeSpan? stopTimeout = null) =>
        new(new DockerBackendOptions { Endpoint = Endpoint, StopTimeout = stopTimeout ?? TimeSpan.FromSeconds(2) }, TimeProvider.System);

    /// <summary>A workload of a fresh environment, so tests never see each other's containers.</summary>
    public static WorkloadSpec NewSpec(string image = DemoV1, Guid? environmentId = null)
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

    private async Task<Uri> StartPodmanAsync()
    {
        // Short path: a unix socket path must stay under ~100 characters.
        serviceDir = Path.Combine("/tmp", $"pdk-bt-{Guid.NewGuid().ToString("N")[..8]}");
        foreach (var sub in new[] { "storage", "run", "tmp", "networks" }) Directory.CreateDirectory(Path.Combine(serviceDir, sub));
        // runc and lower rlimits: crun and the default rlimits fail on these hosts (see the container-engine notes).
        await File.WriteAllTextAsync(Path.Combine(serviceDir, "containers.conf"), """
            [containers]
            default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]

            [engine]
            runtime = "runc"
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            """);
        var socket = Path.Combine(serviceDir, "podman.sock");
        service = Process.Start(Podman("system", "service", "--time=0", $"unix://{socket}"))
            ?? throw new InvalidOperationException("could not start podman");
        return new Uri($"unix://{socket}");
    }

    private ProcessStartInfo Podman(params string[] args)
    {
        var start = new ProcessStartInfo("podman") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["CONTAINERS_CONF"] = Path.Combine(serviceDir!, "containers.conf");
        // vfs storage: no overlay mounts, so the temp dir can simply be deleted afterwards.
        foreach (var arg in new[] { "--root", $"{serviceDir}/storage", "--runroot", $"{serviceDir}/run", "--tmpdir", $"{serviceDir}/tmp",
                     "--network-config-dir", $"{serviceDir}/networks", "--storage-driver", "vfs" })
            start.ArgumentList.Add(arg);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }

    private async Task WaitForEngineAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await Client.System.PingAsync(CancellationToken.None);
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    /// <summary>Imports through the engine API (not the CLI), so it works for an engine we did not start too.</summary>
    private async Task ImportDemoImageIfMissingAsync(string image, string version)
    {
        try
        {
            await Client.Images.InspectImageAsync(image);
            return;
        }
        catch (DockerImageNotFoundException) { }

        using var tar = new MemoryStream();
        await using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var dir in new[] { "bin/", "www/", "tmp/" })
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = (UnixFileMode)Convert.ToInt32("755", 8) });
            await writer.WriteEntryAsync("/bin/busybox", "bin/busybox");
            foreach (var tool in new[] { "sh", "httpd", "echo", "cat", "sleep" })
                await writer.WriteEntryAsync(new PaxTarEntry(TarEntryType.SymbolicLink, $"bin/{tool}") { LinkName = "busybox" });
            var page = new PaxTarEntry(TarEntryType.RegularFile, "www/index.html")
            {
                DataStream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"paddock demo v{version}\n")),
                Mode = (UnixFileMode)Convert.ToInt32("644", 8),
            };
            await writer.WriteEntryAsync(page);
        }
        tar.Position = 0;
        await Client.Images.CreateImageAsync(new ImagesCreateParameters
        {
            FromSrc = "-",
            Repo = image,   // "name:tag": Podman ignores a separate tag on import, Docker accepts both forms
            Changes =
            [
                "ENV PORT=8080",
                "EXPOSE 8080",
                // busybox httpd as PID 1 ignores SIGTERM; the sh in front exits on it, so stops are quick.
                """CMD ["/bin/sh", "-c", "trap \"exit 0\" TERM INT; /bin/httpd -f -p \"${PORT}\" -h /www & wait"]""",
            ],
        }, tar, null, new Progress<JSONMessage>());
    }

    public async Task DisposeAsync()
    {
        await RemoveTestContainersAndNetworksAsync();
        Client.Dispose();
        if (service is null) return;
        service.Kill(entireProcessTree: true);
        await service.WaitForExitAsync();
        using (var reset = Process.Start(Podman("system", "reset", "-f")))
            if (reset is not null) await reset.WaitForExitAsync();
        try { Directory.Delete(serviceDir!, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
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
