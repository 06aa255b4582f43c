using System.Text.RegularExpressions;
using Paddock.Domain.Environments;
using Paddock.Portal.Features.Resources;
using Paddock.Workloads.Model;
using Paddock.Workloads.Placeholders;

namespace Paddock.Portal.Components.Pages.Environments;

public enum GraphHealth { Unknown, Progressing, Healthy, Failed }

public enum GraphNodeKind { Route, Container, Resource }

/// <param name="Detail">A second line: the URL, the image, the resource's type and class.</param>
/// <param name="Reason">Why it is not healthy, when something says.</param>
public sealed record GraphNode(string Key, GraphNodeKind Kind, string Name, string Detail, GraphHealth Health, string? Reason);

/// <summary>An edge from a route to a container or from a container to a resource it uses; <see cref="Broken"/> marks
/// the failing link (what it leads to failed).</summary>
public sealed record GraphLink(string From, string To, bool Broken);

/// <summary>The environment drawn as Argo CD draws an application: its route, the containers it serves, the resources
/// they use, each with its health, and the links whose far end failed marked. Three columns, left to right.</summary>
public sealed record EnvironmentGraphModel(
    IReadOnlyList<GraphNode> Routes, IReadOnlyList<GraphNode> Containers, IReadOnlyList<GraphNode> Resources, IReadOnlyList<GraphLink> Links)
{
    public IEnumerable<GraphNode> Nodes => Routes.Concat(Containers).Concat(Resources);
}

/// <summary>Builds the graph from what the environment page already holds: the environment's status and health (the
/// engine reports health per environment, so every container shows it), the workload it runs (which resources each
/// container names in <c>${resources.NAME…}</c>) and its provisioned resources.</summary>
public static partial class EnvironmentGraph
{
    [GeneratedRegex(@"\$\{resources\.([A-Za-z0-9_-]+)", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceReference();

    /// <param name="fallbackContainer">The container's name when the workload is not known (the app's name).</param>
    public static EnvironmentGraphModel Of(
        string? url, EnvironmentStatus status, EnvironmentHealth health, string? statusReason,
        Workload? workload, IReadOnlyList<EnvironmentResourceView> resources, string fallbackContainer)
    {
        var containerHealth = ContainerHealth(status, health);
        var containerReason = containerHealth == GraphHealth.Failed ? statusReason ?? $"The environment is {Describe(status, health)}." : null;
        var containers = workload is null
            ? [new GraphNode(ContainerKey(fallbackContainer), GraphNodeKind.Container, fallbackContainer, "", containerHealth, containerReason)]
            : workload.Containers.Select(c => new GraphNode(ContainerKey(c.Key), GraphNodeKind.Container, c.Key, c.Value.Image, containerHealth, containerReason)).ToList();

        var resourceNodes = resources
            .Where(r => r.Type != EnvironmentValues.ResourceType)
            .Select(r => new GraphNode(ResourceKey(r.Name), GraphNodeKind.Resource, r.Name, $"{r.Type} · {r.Class}", ResourceHealth(r.Status), r.Reason))
            .ToList();
        // What the workload declares but has no row yet (a first deployment before the worker reached it) is drawn too,
        // so the picture does not change shape while the environment comes up.
        if (workload is not null)
        {
            var notYet = ContainerHealth(status, health) == GraphHealth.Progressing || status == EnvironmentStatus.Pending
                ? GraphHealth.Progressing : GraphHealth.Unknown;
            resourceNodes.AddRange(workload.Resources
                .Where(r => r.Value.Type != EnvironmentValues.ResourceType && resourceNodes.All(n => n.Name != r.Key))
                .Select(r => new GraphNode(ResourceKey(r.Key), GraphNodeKind.Resource, r.Key, $"{r.Value.Type} · {r.Value.Class ?? "default"}", notYet,
                    notYet == GraphHealth.Progressing ? null : "Not provisioned: the running deployment does not have it.")));
        }
        var resourceHealth = resourceNodes.ToDictionary(r => r.Name, r => r.Health, StringComparer.Ordinal);

        var route = new GraphNode("route", GraphNodeKind.Route, "route", url ?? "no URL yet",
            url is null ? GraphHealth.Unknown : containerHealth, containerReason);
        var links = new List<GraphLink>();
        foreach (var container in containers)
            links.Add(new GraphLink(route.Key, container.Key, container.Health == GraphHealth.Failed));
        if (workload is not null)
        {
            foreach (var (name, container) in workload.Containers)
            {
                foreach (var used in ResourcesUsedBy(container).Where(resourceHealth.ContainsKey))
                    links.Add(new GraphLink(ContainerKey(name), ResourceKey(used), resourceHealth[used] == GraphHealth.Failed));
            }
        }
        return new EnvironmentGraphModel([route], containers, resourceNodes, links);
    }

    /// <summary>The resources a container names in its variables, files and volumes.</summary>
    public static IReadOnlyList<string> ResourcesUsedBy(Container container)
    {
        var texts = container.Variables.Values
            .Concat(container.Files.Values.Select(f => f.Content ?? ""))
            .Concat(container.Volumes.Values.Select(v => v.Source));
        return texts.SelectMany(t => ResourceReference().Matches(t).Select(m => m.Groups[1].Value))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    public static GraphHealth ResourceHealth(string status) => status switch
    {
        "Ready" => GraphHealth.Healthy,
        "Failed" => GraphHealth.Failed,
        "Provisioning" or "Deprovisioning" => GraphHealth.Progressing,
        _ => GraphHealth.Unknown,
    };

    public static GraphHealth ContainerHealth(EnvironmentStatus status, EnvironmentHealth health) => (status, health) switch
    {
        (EnvironmentStatus.Failed, _) => GraphHealth.Failed,
        // A first deployment has nothing running yet: missing is expected there, not a failure.
        (EnvironmentStatus.Deploying, _) or (_, EnvironmentHealth.Progressing) => GraphHealth.Progressing,
        (EnvironmentStatus.Running, EnvironmentHealth.Degraded or EnvironmentHealth.Missing) => GraphHealth.Failed,
        (EnvironmentStatus.Running, EnvironmentHealth.Healthy) => GraphHealth.Healthy,
        _ => GraphHealth.Unknown,
    };

    private static string Describe(EnvironmentStatus status, EnvironmentHealth health) =>
        status == EnvironmentStatus.Failed ? "failed" : $"{health}".ToLowerInvariant();

    private static string ContainerKey(string name) => $"container:{name}";

    private static string ResourceKey(string name) => $"resource:{name}";
}
