using System.Collections.Immutable;
using Yarp.ReverseProxy.Configuration;

namespace Paddock.Edge.Routing;

/// <summary>An immutable snapshot of the routes the edge serves, with the YARP route and cluster built once per row
/// version, so a reload that changes one row out of thousands rebuilds one entry.</summary>
public sealed class EdgeRouteTable
{
    public static EdgeRouteTable Empty { get; } = new(ImmutableDictionary<Guid, Entry>.Empty);

    private readonly ImmutableDictionary<Guid, Entry> _entries;

    private EdgeRouteTable(ImmutableDictionary<Guid, Entry> entries) => _entries = entries;

    public int Count => _entries.Count;

    public IEnumerable<EdgeRouteRow> Rows => _entries.Values.Select(e => e.Row);

    public IReadOnlyList<RouteConfig> Routes => _entries.Values.Select(e => e.Route).ToList();

    public IReadOnlyList<ClusterConfig> Clusters => _entries.Values.Select(e => e.Cluster).ToList();

    /// <summary>The table after a full reload: exactly <paramref name="rows"/>.</summary>
    public EdgeRouteTable ReplacedBy(IReadOnlyCollection<EdgeRouteRow> rows, out bool changed)
    {
        var builder = ImmutableDictionary.CreateBuilder<Guid, Entry>();
        changed = rows.Count != _entries.Count;
        foreach (var row in rows)
        {
            var entry = Reuse(row, ref changed);
            builder[row.EnvironmentId] = entry;
        }
        return changed ? new EdgeRouteTable(builder.ToImmutable()) : this;
    }

    /// <summary>The table after reloading some environments: <paramref name="rows"/> are their current rows; an
    /// environment in <paramref name="environmentIds"/> without a row has lost its route.</summary>
    public EdgeRouteTable UpdatedWith(IReadOnlyCollection<Guid> environmentIds, IReadOnlyCollection<EdgeRouteRow> rows, out bool changed)
    {
        var builder = _entries.ToBuilder();
        changed = false;
        var present = rows.Select(r => r.EnvironmentId).ToHashSet();
        foreach (var removed in environmentIds.Where(id => !present.Contains(id)))
            changed |= builder.Remove(removed);
        foreach (var row in rows)
            builder[row.EnvironmentId] = Reuse(row, ref changed);
        return changed ? new EdgeRouteTable(builder.ToImmutable()) : this;
    }

    private Entry Reuse(EdgeRouteRow row, ref bool changed)
    {
        if (_entries.TryGetValue(row.EnvironmentId, out var existing) && existing.Row.Version == row.Version && existing.Row.Host == row.Host)
            return existing.Row.AppliedVersion == row.AppliedVersion ? existing : existing with { Row = row };
        changed = true;
        return Entry.For(row);
    }

    public sealed record Entry(EdgeRouteRow Row, RouteConfig Route, ClusterConfig Cluster)
    {
        public static Entry For(EdgeRouteRow row)
        {
            var id = row.EnvironmentId.ToString("N");
            var route = new RouteConfig
            {
                RouteId = id,
                ClusterId = id,
                Match = new RouteMatch { Hosts = [row.Host], Path = "/{**catch-all}" },
            };
            var cluster = new ClusterConfig
            {
                ClusterId = id,
                LoadBalancingPolicy = "RoundRobin",
                // Keyed by address: a switch removes the old destinations and adds the new ones.
                Destinations = row.Upstreams.Distinct(StringComparer.OrdinalIgnoreCase)
                    .ToDictionary(u => u, u => new DestinationConfig { Address = u }, StringComparer.OrdinalIgnoreCase),
            };
            return new Entry(row, route, cluster);
        }
    }
}
