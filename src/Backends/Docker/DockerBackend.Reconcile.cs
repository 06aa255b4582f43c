using System.Globalization;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using Paddock.Domain.Backends;

namespace Paddock.Backends.Docker;

// What the reconciler needs beyond a deployment: everything at once, and removing single instances.
public sealed partial class DockerBackend
{
    /// <summary>One list call for every managed container of the engine, grouped by environment. The list answer
    /// has no endpoints and only a status text to read exit codes from: enough to decide, not to act.</summary>
    public async Task<IReadOnlyDictionary<Guid, ObservedState>?> ObserveAllAsync(CancellationToken ct)
    {
        var containers = await ListAsync(all: true, ct);
        var byEnvironment = new Dictionary<Guid, List<ObservedInstance>>();
        foreach (var container in containers)
        {
            if (DockerLabels.ParseGuid(container.Labels, DockerLabels.EnvironmentId) is not { } environmentId) continue;
            if (!byEnvironment.TryGetValue(environmentId, out var instances)) byEnvironment[environmentId] = instances = [];
            var state = StateOf(container.State);
            var livenessFailure = state == InstanceState.Running ? _liveness.FailureOf(container.ID) : null;
            if (livenessFailure is not null) state = InstanceState.Unhealthy;
            instances.Add(new ObservedInstance(
                container.ID,
                container.Names?.FirstOrDefault()?.TrimStart('/') ?? container.ID,
                DockerLabels.ParseGuid(container.Labels, DockerLabels.DeploymentId),
                DockerLabels.ImageOf(container.Labels, container.Image, container.ImageID),
                state,
                state == InstanceState.Exited ? ExitCodeIn(container.Status) : null,
                null,
                new Dictionary<string, string>(container.Labels ?? new Dictionary<string, string>()))
            {
                RuntimeState = livenessFailure ?? RuntimeStateOf(state, container.State),
            });
        }
        return byEnvironment.ToDictionary(
            e => e.Key,
            e => new ObservedState(e.Key, InstanceGroups.Fold(e.Value)));
    }

    /// <summary>Only containers carrying Paddock's labels for this environment are touched, whatever ids are given.</summary>
    public async Task RemoveInstancesAsync(Guid environmentId, IReadOnlyCollection<string> instanceIds, CancellationToken ct)
    {
        var containers = await ListAsync(all: true, ct, DockerLabels.Is(DockerLabels.EnvironmentId, environmentId));
        var named = containers.Where(c => instanceIds.Any(id => c.ID.StartsWith(id, StringComparison.Ordinal) || id.StartsWith(c.ID, StringComparison.Ordinal)));
        // An instance goes as a whole: the id names one of its containers, the group label the rest.
        var doomedInstances = named.Select(c => (DockerLabels.ParseGuid(c.Labels, DockerLabels.DeploymentId), InstanceOf(c))).ToHashSet();
        var doomed = containers.Where(c => doomedInstances.Contains((DockerLabels.ParseGuid(c.Labels, DockerLabels.DeploymentId), InstanceOf(c))));
        await RemoveAllAsync(doomed, ct);
    }

    private static string InstanceOf(ContainerListResponse container) =>
        DockerLabels.InstanceOf(container.Labels, container.Names?.FirstOrDefault()?.TrimStart('/') ?? container.ID);

    /// <summary>"Exited (137) 3 seconds ago" → 137.</summary>
    private static long? ExitCodeIn(string? status) =>
        status is not null && ExitCodePattern().Match(status) is { Success: true } match
            ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : null;

    [GeneratedRegex(@"\((-?\d+)\)")]
    private static partial Regex ExitCodePattern();
}
