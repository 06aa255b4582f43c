using Microsoft.Extensions.Configuration;
using Paddock.Domain.Backends;

namespace Paddock.Runtime.Backends;

/// <summary>Creates a backend of one kind from its configuration section (<c>Backends:&lt;name&gt;</c>).</summary>
public delegate IRuntimeBackend BackendFactory(string name, IConfigurationSection settings, IServiceProvider services);

/// <summary>Every backend environments can name, read by every portal and worker process. Backends come from
/// configuration: each child of <c>Backends</c> is one, its <c>Kind</c> picks the factory (default: the name's own
/// kind, so <c>Backends:docker:Endpoint</c> alone is enough). With nothing configured, one backend <c>docker</c>
/// talks to the local engine (<c>DOCKER_HOST</c>, else <c>/var/run/docker.sock</c>).</summary>
public sealed class BackendRegistry : IDisposable
{
    public const string Section = "Backends";
    public const string DefaultName = "docker";

    private readonly Dictionary<string, IRuntimeBackend> _backends = new(StringComparer.OrdinalIgnoreCase);

    public BackendRegistry(IConfiguration configuration, IReadOnlyDictionary<string, BackendFactory> kinds, IServiceProvider services)
    {
        var sections = configuration.GetSection(Section).GetChildren().ToList();
        if (sections.Count == 0) sections = [configuration.GetSection($"{Section}:{DefaultName}")];
        foreach (var section in sections)
        {
            var kind = section["Kind"] ?? section.Key;
            if (!kinds.TryGetValue(kind, out var factory))
                throw new InvalidOperationException($"Backend '{section.Key}' has Kind '{kind}', which is not one of: {string.Join(", ", kinds.Keys)}.");
            _backends[section.Key] = factory(section.Key, section, services);
        }
    }

    public IReadOnlyCollection<IRuntimeBackend> All => _backends.Values;

    public IReadOnlyList<string> Names => _backends.Keys.Order(StringComparer.Ordinal).ToList();

    public IRuntimeBackend? Find(string name) => _backends.GetValueOrDefault(name);

    public IRuntimeBackend Get(string name) =>
        Find(name) ?? throw new InvalidOperationException($"No backend named '{name}' is configured.");

    public void Dispose()
    {
        foreach (var backend in _backends.Values) (backend as IDisposable)?.Dispose();
    }
}
