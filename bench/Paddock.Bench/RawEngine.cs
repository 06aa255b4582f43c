using System.Diagnostics;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Paddock.Bench;

/// <summary>The baseline: what a developer would do by hand on the same engine — create and start the image with a
/// published port, and wait until it answers with the expected content.</summary>
public sealed class RawEngine(Uri endpoint)
{
    private readonly DockerClient _client = new DockerClientBuilder().WithEndpoint(endpoint).Build();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(2) };

    /// <param name="command">Replaces the image's command, as the Paddock app under test does.</param>
    public async Task<TimeSpan> CreateStartAndAnswerAsync(string image, string expected, string[]? command = null)
    {
        var clock = Stopwatch.StartNew();
        var created = await _client.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Cmd = command,
            Labels = new Dictionary<string, string> { ["paddock.bench"] = "raw" },
            ExposedPorts = new Dictionary<string, EmptyStruct> { ["8080/tcp"] = default },
            HostConfig = new HostConfig
            {
                PortBindings = new Dictionary<string, IList<PortBinding>> { ["8080/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = "" }] },
            },
        });
        try
        {
            await _client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            var inspected = await _client.Containers.InspectContainerAsync(created.ID);
            var port = inspected.NetworkSettings!.Ports["8080/tcp"][0].HostPort;
            while (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                try
                {
                    if ((await _http.GetStringAsync($"http://127.0.0.1:{port}/")).Contains(expected, StringComparison.Ordinal)) return clock.Elapsed;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                await Task.Delay(Edge.FastPoll);
            }
            throw new TimeoutException($"{image} did not answer within 30 s.");
        }
        finally
        {
            await _client.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    /// <summary>Kills the environment's first running container (for the self-heal measurement); returns its id.</summary>
    public async Task<string> KillOneAsync(string environmentId)
    {
        var containers = await _client.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"paddock.environment-id={environmentId}"] = true },
                ["status"] = new Dictionary<string, bool> { ["running"] = true },
            },
        });
        var victim = containers.FirstOrDefault() ?? throw new InvalidOperationException($"No running container for environment {environmentId}.");
        await _client.Containers.KillContainerAsync(victim.ID, new ContainerKillParameters { Signal = "SIGKILL" });
        return victim.ID;
    }
}
