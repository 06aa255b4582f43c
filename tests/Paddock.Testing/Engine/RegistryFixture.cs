using System.Diagnostics;
using System.Net;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Paddock.Testing;

/// <summary>A real private registry (Debian's docker-registry, htpasswd auth) on loopback, holding the demo image
/// as <c>{Address}/demo:1</c>, and a private Podman service allowed to talk plain HTTP to it.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public const string Username = "paddock";
    public const string Password = "registry-pass-123";

    private readonly string _dir = Path.Combine("/tmp", $"pdk-rg-{Guid.NewGuid().ToString("N")[..8]}");
    private Process? _registry;
    private PodmanService? _engine;

    public string Address { get; private set; } = "";
    public Uri Endpoint => _engine!.Endpoint;
    public string Image => $"{Address}/demo:1";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "data"));
        Address = $"127.0.0.1:{LoopbackPort.Free()}";
        await RunAsync("htpasswd", "-Bbc", Path.Combine(_dir, "htpasswd"), Username, Password);
        await File.WriteAllTextAsync(Path.Combine(_dir, "config.yml"), $"""
            version: 0.1
            storage:
              filesystem:
                rootdirectory: {_dir}/data
            http:
              addr: {Address}
            auth:
              htpasswd:
                realm: paddock
                path: {_dir}/htpasswd
            """);
        _registry = Process.Start(new ProcessStartInfo("docker-registry", ["serve", Path.Combine(_dir, "config.yml")])
        {
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        }) ?? throw new InvalidOperationException("could not start docker-registry");
        await WaitForRegistryAsync();

        _engine = await PodmanService.StartAsync(insecureRegistry: Address);
        using var client = new DockerClientBuilder().WithEndpoint(_engine.Endpoint).Build();
        await PodmanService.WaitUntilAnswersAsync(client);
        await DemoImages.ImportIfMissingAsync(client, DemoImages.V1, "1");
        await client.Images.TagImageAsync(DemoImages.V1, new ImageTagParameters { RepositoryName = $"{Address}/demo", Tag = "1" });
        await client.Images.PushImageAsync($"{Address}/demo", new ImagePushParameters { Tag = "1" },
            new AuthConfig { ServerAddress = Address, Username = Username, Password = Password }, new Progress<JSONMessage>());
        // Only the registry has it now: the backend under test must pull.
        await client.Images.DeleteImageAsync(Image, new ImageDeleteParameters());
    }

    public DockerClient NewClient() => new DockerClientBuilder().WithEndpoint(Endpoint).Build();

    /// <summary>Pushes a local image to the registry as <c>{Address}/{repository}:{tag}</c>, leaving the engine without
    /// that name, so the backend under test must pull it.</summary>
    public async Task PushAsync(string localImage, string repository, string tag)
    {
        using var client = NewClient();
        await client.Images.TagImageAsync(localImage, new ImageTagParameters { RepositoryName = $"{Address}/{repository}", Tag = tag });
        await client.Images.PushImageAsync($"{Address}/{repository}", new ImagePushParameters { Tag = tag },
            new AuthConfig { ServerAddress = Address, Username = Username, Password = Password }, new Progress<JSONMessage>());
        await client.Images.DeleteImageAsync($"{Address}/{repository}:{tag}", new ImageDeleteParameters());
    }

    private async Task WaitForRegistryAsync()
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync($"http://{Address}/v2/");
                if (response.StatusCode == HttpStatusCode.Unauthorized) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { }
            if (DateTime.UtcNow >= deadline) throw new TimeoutException("docker-registry did not start");
            await Task.Delay(100);
        }
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"could not start {file}");
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} failed: {await process.StandardError.ReadToEndAsync()}");
    }

    public async Task DisposeAsync()
    {
        if (_engine is not null) await _engine.DisposeAsync();
        if (_registry is not null)
        {
            _registry.Kill();
            await _registry.WaitForExitAsync();
            _registry.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
