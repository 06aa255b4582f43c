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
    public static EdgeRouteTable Empty { get; } = new(ImmutableDictionary<Guid, Entry>.Empty, ImmutableDictionary.Create<string, string>(StringComparer.OrdinalIgnoreCase),
        ImmutableDictionary<Guid, ImmutableArray<EdgePathRoute>>.Empty);

    private readonly ImmutableDictionary<Guid, Entry> _entries;
    private readonly ImmutableDictionary<string, string> _clusterByHost;
    // The route resources' host routes by environment, and by host with the longest path first.
    private readonly ImmutableDictionary<Guid, ImmutableArray<EdgePathRoute>> _pathsByEnvironment;
    private readonly ImmutableDictionary<string, ImmutableArray<EdgePathRoute>> _pathsByHost;

    private EdgeRouteTable(ImmutableDictionary<Guid, Entry> entries, ImmutableDictionary<string, string> clusterByHost,
        ImmutableDictionary<Guid, ImmutableArray<EdgePathRoute>> pathsByEnvironment)
    {
        _entries = entries;
        _clusterByHost = clusterByHost;
        _pathsByEnvironment = pathsByEnvironment;
        _pathsByHost = pathsByEnvironment.Values.SelectMany(p => p)
            .GroupBy(p => p.Host, StringComparer.OrdinalIgnoreCase)
            .ToImmutableDictionary(g => g.Key, g => g.OrderByDescending(p => p.Path.Length).ThenBy(p => p.Path, StringComparer.Ordinal).ToImmutableArray(),
                StringComparer.OrdinalIgnoreCase);
    }

    public IEnumerable<EdgePathRoute> PathRoutes => _pathsByEnvironment.Values.SelectMany(p => p);

    public int Count => _entries.Count;

    public IEnumerable<EdgeRouteRow> Rows => _entries.Values.Select(e => e.Row);

    public IReadOnlyList<RouteConfig> Routes { get; } = [CatchAll];

    public IReadOnlyList<ClusterConfig> Clusters => _entries.Values.Select(e => e.Cluster).Append(NoEnvironment).ToList();

    public string? ClusterFor(string host) => _clusterByHost.GetValueOrDefault(host);

    /// <summary>Where a request goes: the environment of the host's route with the longest path prefix the request's
    /// path falls under (an environment not serving yet is passed over), else the environment whose URL the host is.</summary>
    public string? ClusterFor(string host, string path)
    {
        if (_pathsByHost.TryGetValue(host, out var routes))
        {
            foreach (var route in routes)
            {
                if (Domain.Edge.HostRoute.Matches(route.Path, path) && _entries.TryGetValue(route.EnvironmentId, out var entry))
                    return entry.Cluster.ClusterId;
            }
        }
        return ClusterFor(host);
    }

    /// <summary>The table with the host routes of <paramref name="environmentIds"/> (null: of every environment)
    /// replaced by <paramref name="routes"/>.</summary>
    public EdgeRouteTable WithPathRoutes(IReadOnlyCollection<Guid>? environmentIds, IReadOnlyCollection<EdgePathRoute> routes, out bool changed)
    {
        var byEnvironment = routes.GroupBy(r => r.EnvironmentId)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Host, StringComparer.Ordinal).ThenBy(r => r.Path, StringComparer.Ordinal).ToImmutableArray());
        var paths = environmentIds is null ? ImmutableDictionary<Guid, ImmutableArray<EdgePathRoute>>.Empty.ToBuilder() : _pathsByEnvironment.ToBuilder();
        foreach (var id in environmentIds ?? []) paths.Remove(id);
        foreach (var (id, list) in byEnvironment) paths[id] = list;
        var next = paths.ToImmutable();
        changed = next.Count != _pathsByEnvironment.Count
                  || next.Any(p => !_pathsByEnvironment.TryGetValue(p.Key, out var before) || !before.SequenceEqual(p.Value));
        return changed ? new EdgeRouteTable(_entries, _clusterByHost, next) : this;
    }

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
        return changed ? new EdgeRouteTable(entries.ToImmutable(), hosts.ToImmutable(), _pathsByEnvironment) : this;
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
