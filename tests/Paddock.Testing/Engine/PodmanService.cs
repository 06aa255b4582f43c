using System.Diagnostics;
using Docker.DotNet;

namespace Paddock.Testing;

/// <summary>A private <c>podman system service</c> in a temp dir: its own storage, run and network dirs, so it
/// neither sees nor prunes anyone else's containers. Stopped and deleted on dispose.</summary>
public sealed class PodmanService : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private PodmanService(Process process, string dir)
    {
        _process = process;
        _dir = dir;
    }

    public Uri Endpoint => new($"unix://{Path.Combine(_dir, "podman.sock")}");

    /// <param name="insecureRegistry">host:port of a plain-HTTP registry the engine may pull from and push to.</param>
    public static async Task<PodmanService> StartAsync(string? insecureRegistry = null)
    {
        // Short path: a unix socket path must stay under ~100 characters.
        var dir = Path.Combine("/tmp", $"pdk-bt-{Guid.NewGuid().ToString("N")[..8]}");
        foreach (var sub in new[] { "storage", "run", "tmp", "networks" }) Directory.CreateDirectory(Path.Combine(dir, sub));
        // The settings run.sh's engine has (scripts/lib/containers.conf, embedded here), on a subnet pool of this
        // engine's own.
        await using var embedded = typeof(PodmanService).Assembly.GetManifestResourceStream("containers.conf")
            ?? throw new InvalidOperationException("containers.conf is not embedded in the test assembly");
        var settings = await new StreamReader(embedded).ReadToEndAsync();
        await File.WriteAllTextAsync(Path.Combine(dir, "containers.conf"),
            settings.Replace("@SUBNET_POOL@", $"10.{SubnetOctet()}.0.0/16", StringComparison.Ordinal));
        if (insecureRegistry is not null)
            await File.WriteAllTextAsync(Path.Combine(dir, "registries.conf"), $"""
                [[registry]]
                location = "{insecureRegistry}"
                insecure = true
                """);
        var start = Podman(dir, "system", "service", "--time=0", $"unix://{Path.Combine(dir, "podman.sock")}");
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start podman");
        return new PodmanService(process, dir);
    }

    /// <summary>A /16 of this engine's own for its networks (test.sh's engine takes one of 10.100-179): every Podman
    /// would start from 10.89.0.0/24 and skip only the subnets it knows of, so engines side by side would share
    /// addresses.</summary>
    private static int SubnetOctet() => Random.Shared.Next(180, 250);

    public static async Task WaitUntilAnswersAsync(IDockerClient client)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await client.System.PingAsync(CancellationToken.None);
                return;
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }

    private static ProcessStartInfo Podman(string dir, params string[] args)
    {
        // Output is not read: redirecting it without reading could block the service on a full pipe.
        var start = new ProcessStartInfo("podman") { RedirectStandardOutput = false, RedirectStandardError = false };
        start.Environment["CONTAINERS_CONF"] = Path.Combine(dir, "containers.conf");
        var registries = Path.Combine(dir, "registries.conf");
        if (File.Exists(registries)) start.Environment["CONTAINERS_REGISTRIES_CONF"] = registries;
        // vfs storage: no overlay mounts, so the temp dir can simply be deleted afterwards.
        foreach (var arg in new[] { "--root", $"{dir}/storage", "--runroot", $"{dir}/run", "--tmpdir", $"{dir}/tmp",
                     "--network-config-dir", $"{dir}/networks", "--storage-driver", "vfs" })
            start.ArgumentList.Add(arg);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return start;
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        using (var reset = Process.Start(Podman(_dir, "system", "reset", "-f")))
            if (reset is not null) await reset.WaitForExitAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
