using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Paddock.Domain.Backends;
using Paddock.Runtime.Clusters;

namespace Paddock.Runtime.Backends;

/// <summary>Creates a backend of one kind from its configuration section (<c>Backends:&lt;name&gt;</c>).</summary>
public delegate IRuntimeBackend BackendFactory(string name, IConfigurationSection settings, IServiceProvider services);

/// <summary>Every backend environments can name, in every portal and worker process. Two sources:
/// <list type="bullet">
/// <item>configuration, read once at start: each child of <c>Backends</c> is one, its <c>Kind</c> picks the factory
/// (default: the name's own kind, so <c>Backends:docker:Endpoint</c> alone is enough). With nothing configured, one
/// backend <c>docker</c> talks to the local engine (<c>DOCKER_HOST</c>, else <c>/var/run/docker.sock</c>);</item>
/// <item>the clusters platform admins register at run time (<c>clusters</c> table), reloaded by
/// <see cref="RefreshClustersAsync"/> whenever <see cref="ClusterRefresher"/> hears of a change.</item>
/// </list>
/// A configured backend wins over a registered cluster of the same name (registration refuses such names anyway).
/// Lookups read an immutable snapshot, so they need no lock while a reload swaps in the next one.</summary>
public sealed class BackendRegistry : IDisposable
{
    public const string Section = "Backends";
    public const string DefaultName = "docker";

    /// <summary>How long a replaced or removed cluster's backend lives on before it is disposed, so a deployment,
    /// tear-down or log stream already running on it finishes instead of failing mid-way.</summary>
    public static readonly TimeSpan RetiredBackendGrace = TimeSpan.FromMinutes(15);

    private readonly Dictionary<string, IRuntimeBackend> _configured = new(StringComparer.OrdinalIgnoreCase);
    private readonly RegisteredClusters? _clusterSource;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _refreshing = new(1, 1);
    private readonly ConcurrentDictionary<IRuntimeBackend, byte> _retired = new(ReferenceEqualityComparer.Instance);
    private volatile IReadOnlyDictionary<string, LoadedCluster> _clusters = new Dictionary<string, LoadedCluster>();

    private sealed record LoadedCluster(Guid Id, uint Version, IRuntimeBackend Backend);

    public BackendRegistry(IConfiguration configuration, IReadOnlyDictionary<string, BackendFactory> kinds, IServiceProvider services,
        RegisteredClusters? clusters = null, TimeProvider? clock = null, ILogger<BackendRegistry>? logger = null)
    {
        _clusterSource = clusters;
        _clock = clock ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        var sections = configuration.GetSection(Section).GetChildren().ToList();
        if (sections.Count == 0) sections = [configuration.GetSection($"{Section}:{DefaultName}")];
        foreach (var section in sections)
        {
            var kind = section["Kind"] ?? section.Key;
            if (!kinds.TryGetValue(kind, out var factory))
                throw new InvalidOperationException($"Backend '{section.Key}' has Kind '{kind}', which is not one of: {string.Join(", ", kinds.Keys)}.");
            _configured[section.Key] = factory(section.Key, section, services);
        }
    }

    /// <summary>Raised after a reload added, replaced or removed a cluster's backend (on the reloading thread; keep
    /// handlers short). The reconciler uses it to start and stop its watches.</summary>
    public event Action? Changed;

    public IReadOnlyCollection<IRuntimeBackend> All => [.. _configured.Values, .. _clusters.Values.Select(c => c.Backend)];

    public IReadOnlyList<string> Names => _configured.Keys.Concat(_clusters.Keys).Order(StringComparer.Ordinal).ToList();

    /// <summary>True for a backend from configuration (not a registered cluster), in any case.</summary>
    public bool IsConfigured(string name) => _configured.ContainsKey(name);

    public IRuntimeBackend? Find(string name) => _configured.GetValueOrDefault(name) ?? _clusters.GetValueOrDefault(name)?.Backend;

    public IRuntimeBackend Get(string name) =>
        Find(name) ?? throw new InvalidOperationException($"No backend named '{name}' is configured or registered.");

    /// <summary>Reads the registered clusters again and swaps in the new set: unchanged rows keep their backend,
    /// new and changed ones get a new one, replaced and removed ones are retired. Reloads run one at a time.</summary>
    public async Task RefreshClustersAsync(CancellationToken ct)
    {
        if (_clusterSource is null) return;
        await _refreshing.WaitAsync(ct);
        try
        {
            var rows = await _clusterSource.LoadAsync(ct);
            var current = _clusters;
            var next = new Dictionary<string, LoadedCluster>(StringComparer.OrdinalIgnoreCase);
            foreach (var row in rows)
            {
                if (_configured.ContainsKey(row.Name))
                {
                    _logger.LogWarning("Registered cluster {Cluster} is ignored: a configured backend has the same name", row.Name);
                    continue;
                }
                next[row.Name] = current.TryGetValue(row.Name, out var loaded) && loaded.Id == row.Id && loaded.Version == row.Version
                    ? loaded
                    : new LoadedCluster(row.Id, row.Version, row.CreateBackend());
            }
            _clusters = next;
            var kept = next.Values.Select(c => c.Backend).ToHashSet(ReferenceEqualityComparer.Instance);
            foreach (var gone in current.Values.Where(c => !kept.Contains(c.Backend))) Retire(gone.Backend);
            var added = next.Keys.Where(name => !current.TryGetValue(name, out var before) || !ReferenceEquals(before.Backend, next[name].Backend)).ToList();
            var removed = current.Keys.Where(name => !next.ContainsKey(name)).ToList();
            if (added.Count > 0 || removed.Count > 0)
            {
                _logger.LogInformation("Registered clusters reloaded: {Count} in use; new or changed: {Changed}; removed: {Removed}",
                    next.Count, string.Join(", ", added), string.Join(", ", removed));
                Changed?.Invoke();
            }
        }
        finally
        {
            _refreshing.Release();
        }
    }

    private void Retire(IRuntimeBackend backend)
    {
        if (backend is not IDisposable disposable) return;
        _retired[backend] = 0;
        _ = Task.Delay(RetiredBackendGrace, _clock).ContinueWith(_ =>
        {
            if (_retired.TryRemove(backend, out var _)) disposable.Dispose();
        }, TaskScheduler.Default);
    }

    public void Dispose()
    {
        foreach (var backend in _configured.Values) (backend as IDisposable)?.Dispose();
        foreach (var cluster in _clusters.Values) (cluster.Backend as IDisposable)?.Dispose();
        foreach (var backend in _retired.Keys)
            if (_retired.TryRemove(backend, out _)) (backend as IDisposable)?.Dispose();
        _refreshing.Dispose();
    }
}
