using System.Collections.Immutable;
using Yarp.ReverseProxy.Configuration;

namespace Paddock.Edge.Routing;

/// <summary>An immutable snapshot of the routes the edge serves: one YARP cluster per environment (its upstreams,
/// round-robin) and an index from host name to cluster. Every request enters through one catch-all YARP route and
/// is reassigned to its host's cluster (<see cref="HostSelection"/>): one route per host would put thousands of host
/// constraints into ASP.NET's route matcher, whose rebuild took over 10 s with 10,000 routes. Clusters are built once
/// per row version, so a reload that changes one row out of thousands rebuilds one entry.</summary>
public sealed class EdgeRouteTable
{
    public const string CatchAllRouteId = "paddock-edge";

    /// <summary>The catch-all route's cluster until a request is reassigned: no destinations.</summary>
    public const string NoEnvironmentClusterId = "paddock-no-environment";

    private static readonly RouteConfig CatchAll = new()
    {
        RouteId = CatchAllRouteId,
        ClusterId = NoEnvironmentClusterId,
        Match = new RouteMatch { Path = "/{**catch-all}" },
    };

    private static readonly ClusterConfig NoEnvironment = new() { ClusterId = NoEnvironmentClusterId };

    // After the fields above: static initializers run in order.
    public static EdgeRouteTable Empty { get; } = new(ImmutableDictionary<Guid, Entry>.Empty, ImmutableDictionary.Create<string, string>(StringComparer.OrdinalIgnoreCase));

    private readonly ImmutableDictionary<Guid, Entry> _entries;
    private readonly ImmutableDictionary<string, string> _clusterByHost;

    private EdgeRouteTable(ImmutableDictionary<Guid, Entry> entries, ImmutableDictionary<string, string> clusterByHost)
    {
        _entries = entries;
        _clusterByHost = clusterByHost;
    }

    public int Count => _entries.Count;

    public IEnumerable<EdgeRouteRow> Rows => _entries.Values.Select(e => e.Row);

    public IReadOnlyList<RouteConfig> Routes { get; } = [CatchAll];

    public IReadOnlyList<ClusterConfig> Clusters => _entries.Values.Select(e => e.Cluster).Append(NoEnvironment).ToList();

    public string? ClusterFor(string host) => _clusterByHost.GetValueOrDefault(host);

    /// <summary>The version of the environment's route in this table, or null when it has none.</summary>
    public long? VersionOf(Guid environmentId) => _entries.TryGetValue(environmentId, out var entry) ? entry.Row.Version : null;

    /// <summary>The table after a full reload: exactly <paramref name="rows"/>.</summary>
    public EdgeRouteTable ReplacedBy(IReadOnlyCollection<EdgeRouteRow> rows, out bool changed)
    {
        var present = rows.Select(r => r.EnvironmentId).ToHashSet();
        return UpdatedWith(_entries.Keys.Where(id => !present.Contains(id)).Concat(present).ToList(), rows, out changed);
    }

    /// <summary>The table after reloading some environments: <paramref name="rows"/> are their current rows; an
    /// environment in <paramref name="environmentIds"/> without a row has lost its route.</summary>
    public EdgeRouteTable UpdatedWith(IReadOnlyCollection<Guid> environmentIds, IReadOnlyCollection<EdgeRouteRow> rows, out bool changed)
    {
        var entries = _entries.ToBuilder();
        var hosts = _clusterByHost.ToBuilder();
        changed = false;
        var current = rows.ToDictionary(r => r.EnvironmentId);
        foreach (var id in environmentIds)
        {
            _entries.TryGetValue(id, out var existing);
            current.TryGetValue(id, out var row);
            if (existing is not null && row is not null && existing.Row.Version == row.Version && existing.Row.Host == row.Host)
                continue;
            if (existing is not null)
            {
                entries.Remove(id);
                hosts.Remove(existing.Row.Host);
                changed = true;
            }
            if (row is not null)
            {
                var entry = Entry.For(row);
                entries[id] = entry;
                changed = true;
            }
        }
        // Hosts last: a host can move from one environment to another within one reload.
        if (changed)
        {
            foreach (var id in environmentIds)
            {
                if (entries.TryGetValue(id, out var entry)) hosts[entry.Row.Host] = entry.Cluster.ClusterId;
            }
        }
        return changed ? new EdgeRouteTable(entries.ToImmutable(), hosts.ToImmutable()) : this;
    }

    public sealed record Entry(EdgeRouteRow Row, ClusterConfig Cluster)
    {
        public static Entry For(EdgeRouteRow row)
        {
            var cluster = new ClusterConfig
            {
                ClusterId = row.EnvironmentId.ToString("N"),
                LoadBalancingPolicy = "RoundRobin",
                // Keyed by address: a switch removes the old destinations and adds the new ones.
                Destinations = row.Upstreams.Distinct(StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(u => u, u => new DestinationConfig { Address = u }, StringComparer.OrdinalIgnoreCase),
            };
            return new Entry(row, cluster);
        }
    }
}
