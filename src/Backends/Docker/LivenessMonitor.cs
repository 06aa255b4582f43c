using System.Collections.Concurrent;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Paddock.Domain.Applications;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

/// <summary>Runs the liveness probes of the engine's running containers every <see cref="DockerBackendOptions.LivenessPeriod"/>
/// (what the kubelet does in a pod; the engine's own health checks need systemd timers these hosts lack). A container that
/// fails <see cref="DockerBackendOptions.LivenessFailureThreshold"/> times in a row makes its instance
/// <see cref="InstanceState.Unhealthy"/> in what the backend observes, and is reported once as an instance event, so the
/// reconciler replaces the instance. Only a watcher of the backend (the reconciler's leader) runs it, so one process probes;
/// the count of failures lives in that process and starts again when leadership moves. Containers without a liveness probe
/// cost nothing but the one list call per period.</summary>
internal sealed class LivenessMonitor(DockerClient client, ProbeRunner runner, DockerBackendOptions options, TimeProvider clock, ILogger logger)
{
    private static readonly JsonSerializerOptions LabelJson = new(JsonSerializerDefaults.Web);

    private readonly ConcurrentDictionary<string, int> _misses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _failed = new(StringComparer.Ordinal);

    /// <summary>The label value that carries a container's liveness probe.</summary>
    public static string LabelOf(ProbeAction probe) => JsonSerializer.Serialize(probe, LabelJson);

    private static ProbeAction? ProbeOf(IDictionary<string, string>? labels)
    {
        if (labels is null || !labels.TryGetValue(DockerLabels.Liveness, out var text)) return null;
        try
        {
            return JsonSerializer.Deserialize<ProbeAction>(text, LabelJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Why the container failed its liveness probe (which container, which probe, what it answered); null while it
    /// passes, or when nobody probes in this process.</summary>
    public string? FailureOf(string containerId) => _failed.GetValueOrDefault(containerId);

    public async Task RunAsync(Action<BackendEvent> report, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await CheckOnceAsync(report, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                logger.LogWarning("Liveness probes on {Endpoint} failed this round: {Reason}", options.Endpoint, DockerFailures.Message(e));
            }
            await Task.Delay(options.LivenessPeriod, clock, ct);
        }
    }

    /// <summary>One round: every running container that has a liveness probe is probed once, in parallel.</summary>
    public async Task CheckOnceAsync(Action<BackendEvent> report, CancellationToken ct)
    {
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            Filters = DockerLabels.Filter(DockerLabels.Is(DockerLabels.Managed, "true"), DockerLabels.Liveness),
        }, ct);
        var running = containers.Where(c => c.State == "running").ToList();
        var present = running.Select(c => c.ID).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _misses.Keys.Concat(_failed.Keys).Where(id => !present.Contains(id)).ToList())
        {
            _misses.TryRemove(gone, out _);
            _failed.TryRemove(gone, out _);
        }
        await Parallel.ForEachAsync(running.Where(c => !_failed.ContainsKey(c.ID)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (container, token) => await ProbeAsync(container, report, token));
    }

    private async Task ProbeAsync(ContainerListResponse container, Action<BackendEvent> report, CancellationToken ct)
    {
        if (ProbeOf(container.Labels) is not { } probe) return;
        var labels = container.Labels;
        var name = container.Names?.FirstOrDefault()?.TrimStart('/') ?? container.ID;
        var instance = DockerLabels.InstanceOf(labels, name);
        var (passed, detail) = await runner.RunAsync(container.ID, probe,
            token => runner.AddressOfAsync(DockerLabels.IsSidecar(labels) ? instance : container.ID, token), options.ProbeTimeout, ct);
        if (passed)
        {
            _misses.TryRemove(container.ID, out _);
            return;
        }
        var misses = _misses.AddOrUpdate(container.ID, 1, (_, n) => n + 1);
        logger.LogDebug("Liveness probe of {Container} failed ({Misses} in a row): {Detail}", name, misses, detail);
        if (misses < options.LivenessFailureThreshold) return;
        var which = labels.TryGetValue(DockerLabels.Sidecar, out var sidecar) ? $"its container {sidecar}" : "its main container";
        var why = $"failed the liveness probe of {which} ({probe.Describe()}) {misses} times in a row: {detail}";
        if (!_failed.TryAdd(container.ID, why)) return;
        logger.LogWarning("Instance {Instance} {Why}", instance, why);
        report(new BackendEvent(clock.GetUtcNow().UtcDateTime, DockerLabels.ParseGuid(labels, DockerLabels.EnvironmentId), BackendEventPhase.Instance,
            $"Instance {instance} {why}", BackendEventLevel.Warning)
        {
            DeploymentId = DockerLabels.ParseGuid(labels, DockerLabels.DeploymentId),
            InstanceName = instance,
            Action = "liveness",
            Change = InstanceChange.FailedLiveness,
        });
    }
}
