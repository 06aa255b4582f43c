namespace Paddock.Portal.Features.Catalog;

/// <summary>Where the catalog is read from and which images replace entries' own (README, Catalog).</summary>
/// <param name="Images">By <c>{entry}:{image key}</c>, from <c>Paddock:Catalog:Images:{entry}:{key}</c>.</param>
public sealed record CatalogSettings(string Path, IReadOnlyDictionary<string, string> Images)
{
    public const string Section = "Paddock:Catalog";

    public static CatalogSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var path = section["Path"] is { Length: > 0 } configured ? configured : "catalog";
        var images = section.GetSection("Images").GetChildren()
            .SelectMany(entry => entry.GetChildren().Where(k => !string.IsNullOrEmpty(k.Value)).Select(k => (Key: $"{entry.Key}:{k.Key}", k.Value)))
            .ToDictionary(i => i.Key, i => i.Value!, StringComparer.Ordinal);
        return new CatalogSettings(System.IO.Path.GetFullPath(path, AppContext.BaseDirectory), images);
    }
}

/// <summary>The catalog's entries, read once when the portal starts (an entry that does not read is logged and left out).</summary>
public sealed class BuiltInCatalog
{
    public BuiltInCatalog(CatalogSettings settings, ILogger<BuiltInCatalog> logger)
    {
        var loaded = CatalogLoader.Load(settings.Path, settings.Images);
        foreach (var problem in loaded.Problems) logger.LogWarning("Catalog {Path}: {Problem}", settings.Path, problem);
        logger.LogInformation("Catalog {Path}: {Count} entries", settings.Path, loaded.Entries.Count);
        Entries = loaded.Entries.OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public IReadOnlyList<CatalogEntry> Entries { get; }

    public CatalogEntry? Find(string id) => Entries.FirstOrDefault(e => e.Id == id);
}
