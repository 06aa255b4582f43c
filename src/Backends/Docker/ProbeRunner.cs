using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

/// <summary>Runs one attempt of a workload's probe against a container: an HTTP GET of the instance's address on the
/// engine's network (the containers of an instance share the main container's network namespace, so every port of
/// every container is there), or a command run inside the container through the engine's exec API, passing on exit
/// code 0. Each attempt is bounded by a timeout; failures are answers, never exceptions.</summary>
internal sealed class ProbeRunner(DockerClient client, HttpClient http)
{
    /// <summary>How often a finished exec is asked for its exit code while the engine still calls it running.</summary>
    private static readonly TimeSpan ExitCodePoll = TimeSpan.FromMilliseconds(10);

    /// <param name="containerId">The container (id or name) an exec probe runs in.</param>
    /// <param name="instanceAddress">The instance's address on its network, looked up only for an HTTP probe.</param>
    public async Task<(bool Passed, string Detail)> RunAsync(string containerId, ProbeAction action,
        Func<CancellationToken, Task<string?>> instanceAddress, TimeSpan timeout, CancellationToken ct)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(timeout);
        try
        {
            if (action.HttpGet is { } get)
            {
                if (await instanceAddress(attempt.Token) is not { } address) return (false, "the instance has no address on its network");
                using var response = await http.GetAsync(new HostEndpoint(address, get.Port).HttpUri(get.Path),
                    HttpCompletionOption.ResponseHeadersRead, attempt.Token);
                var code = (int)response.StatusCode;
                return (code is >= 200 and < 400, $"answered {code}");
            }
            return await ExecAsync(containerId, action.Exec ?? [], attempt.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (false, $"did not finish within {timeout.TotalSeconds:0.#}s");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or DockerApiException)
        {
            return (false, $"failed: {DockerFailures.Message(e)}");
        }
    }

    private async Task<(bool Passed, string Detail)> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken ct)
    {
        var created = await client.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = command.ToList(),
            AttachStdout = true,
            AttachStderr = true,
        }, ct);
        string output;
        using (var stream = await client.Exec.StartContainerExecAsync(created.ID, new ContainerExecStartParameters { Detach = false }, ct))
        {
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(ct);
            output = (stderr.Length > 0 ? stderr : stdout).Trim();
        }
        while (true)
        {
            var inspected = await client.Exec.InspectContainerExecAsync(created.ID, ct);
            if (!inspected.Running)
            {
                if (inspected.ExitCode == 0) return (true, "exited with code 0");
                var said = output.Length == 0 ? "" : $": {(output.Length > 200 ? output[..200] + "…" : output)}";
                return (false, $"exited with code {inspected.ExitCode}{said}");
            }
            await Task.Delay(ExitCodePoll, ct);
        }
    }

    /// <summary>The instance's address on the engine's network: the main container's (a sidecar has none of its own; it
    /// joined the main container's namespace), on the network it was created on first.</summary>
    public async Task<string?> AddressOfAsync(string mainContainer, CancellationToken ct)
    {
        var inspected = await client.Containers.InspectContainerAsync(mainContainer, ct);
        var networks = inspected.NetworkSettings?.Networks;
        if (networks is null) return null;
        if (inspected.HostConfig?.NetworkMode is { } mode && networks.TryGetValue(mode, out var own) && !string.IsNullOrEmpty(own.IPAddress))
            return own.IPAddress;
        return networks.Values.Select(n => n.IPAddress).FirstOrDefault(ip => !string.IsNullOrEmpty(ip));
    }
}
