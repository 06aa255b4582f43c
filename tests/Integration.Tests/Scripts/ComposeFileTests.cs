using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Paddock.Integration.Tests.Scripts;

public sealed partial class ComposeFileTests
{
    [Fact]
    public async Task The_compose_file_is_valid_for_docker_compose()
    {
        var (exitCode, _, errors) = await DockerComposeAsync("config", "-q");
        Assert.True(exitCode == 0, $"docker-compose config failed: {errors}");
    }

    [Fact]
    public async Task The_compose_file_runs_the_edge_and_the_portal_and_workers_name_environment_urls_after_it_and_probe_through_it()
    {
        var (exitCode, config, errors) = await DockerComposeAsync("config");
        Assert.True(exitCode == 0, $"docker-compose config failed: {errors}");
        var services = Services(config);

        Assert.Equal(["edge", "migrator", "portal", "postgres", "workers"], services.Keys.Order());
        var edge = services["edge"];
        Assert.Contains("PROJECT: src/Edge/Paddock.Edge.csproj", edge);
        Assert.Contains("ASPNETCORE_URLS: http://127.0.0.1:5090", edge);
        foreach (var name in new[] { "portal", "workers" })
        {
            Assert.Contains("Edge__Address: http://127.0.0.1:5090", services[name]);
            Assert.Contains("Edge__PublicUrlTemplate: http://{host}:5090/", services[name]);
        }
        // The edge forwards to containers published on the host's loopback, and deploys probe them there.
        foreach (var name in new[] { "portal", "workers", "edge" }) Assert.Contains("network_mode: host", services[name]);
    }

    /// <summary>Each service's block of <c>docker-compose config</c>'s resolved YAML, by service name.</summary>
    private static Dictionary<string, string> Services(string config)
    {
        var services = new Dictionary<string, string>();
        var inServices = false;
        string? current = null;
        foreach (var line in config.Split('\n'))
        {
            if (!line.StartsWith(' ')) { inServices = line.TrimEnd() == "services:"; current = null; continue; }
            if (!inServices) continue;
            if (ServiceLine().Match(line) is { Success: true } start) { current = start.Groups[1].Value; services[current] = ""; continue; }
            if (current is not null) services[current] += line.Trim() + "\n";
        }
        return services;
    }

    [GeneratedRegex(@"^  ([a-z][a-z0-9_-]*):\s*$")]
    private static partial Regex ServiceLine();

    private static async Task<(int ExitCode, string Output, string Errors)> DockerComposeAsync(params string[] arguments)
    {
        var root = RepositoryRoot();
        var start = new ProcessStartInfo("docker-compose", ["-f", Path.Combine(root, "docker-compose.yml"), .. arguments])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            WorkingDirectory = root,
        };
        // The defaults of the file, not whatever this machine's environment sets.
        foreach (var variable in new[] { "PADDOCK_PORT", "PADDOCK_EDGE_PORT", "PADDOCK_PG_PORT" }) start.Environment.Remove(variable);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, errors);
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Platform.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Platform.sln not found above the test binaries.");
    }
}
