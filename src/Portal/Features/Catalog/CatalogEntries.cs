using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Paddock.Domain.Catalog;
using Paddock.Persistence;
using Paddock.Portal.Api;
using Paddock.Portal.Features.Workloads;
using Paddock.Workloads;
using Paddock.Workloads.Source;
using Paddock.Workloads.Validation;

namespace Paddock.Portal.Features.Catalog;

/// <summary>Every entry people may see: the built-in ones, then those of each git catalog (<see cref="CatalogSource"/>),
/// and the git catalogs' entry folders that do not validate.</summary>
public sealed record CatalogListing(IReadOnlyList<CatalogEntry> Entries, IReadOnlyList<BrokenCatalogEntry> Broken)
{
    public CatalogEntry? Find(string id) => Entries.FirstOrDefault(e => e.Id == id);

    public BrokenCatalogEntry? FindBroken(string id) => Broken.FirstOrDefault(e => e.Id == id);
}

/// <summary>
/// The catalog as this process sees it: the built-in entries (read at start) and the entries of the git catalogs,
/// parsed from the files the database holds for each one's last read commit. A git catalog's entries are parsed once
/// per commit and kept, so listing costs one small query; every portal process sees the same entries whichever of
/// them read the repository.
/// </summary>
public sealed class CatalogEntries(BuiltInCatalog builtIn, CatalogSettings settings)
{
    private readonly ConcurrentDictionary<Guid, (string Commit, SourceEntries Entries)> _parsed = new();

    private sealed record SourceEntries(IReadOnlyList<CatalogEntry> Entries, IReadOnlyList<BrokenCatalogEntry> Broken);

    public async Task<CatalogListing> ReadAsync(PaddockDbContext db, WorkloadRules rules, CancellationToken ct)
    {
        var sources = await db.CatalogSources.AsNoTracking().Where(s => s.LastCommit != null)
            .OrderBy(s => s.Name).Select(s => new { s.Id, s.Name, s.LastCommit }).ToListAsync(ct);
        var entries = builtIn.Entries.ToList();
        var broken = new List<BrokenCatalogEntry>();
        foreach (var source in sources)
        {
            if (!_parsed.TryGetValue(source.Id, out var known) || known.Commit != source.LastCommit)
            {
                var files = await db.CatalogSources.AsNoTracking().Where(s => s.Id == source.Id).Select(s => s.Files).FirstAsync(ct);
                known = (source.LastCommit!, Parse(source.Name, files, settings.Images, rules));
                _parsed[source.Id] = known;
            }
            entries.AddRange(known.Entries.Entries);
            broken.AddRange(known.Entries.Broken);
        }
        foreach (var gone in _parsed.Keys.Except(sources.Select(s => s.Id)).ToList()) _parsed.TryRemove(gone, out _);
        return new CatalogListing(entries, broken);
    }

    /// <summary>Reads each entry folder of a git catalog as the built-in catalog's are read, then checks its workload,
    /// filled with its defaults, as an install would: an entry that fails is broken, with each problem's file and line.</summary>
    private static SourceEntries Parse(string source, Dictionary<string, Dictionary<string, string>> files,
        IReadOnlyDictionary<string, string> images, WorkloadRules rules)
    {
        var entries = new List<CatalogEntry>();
        var broken = new List<BrokenCatalogEntry>();
        foreach (var (folder, folderFiles) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var (entry, errors) = CatalogLoader.Read(name => folderFiles.GetValueOrDefault(name), images, source);
            if (entry is not null) errors = WorkloadProblems(entry, rules);
            if (entry is not null && entries.Any(e => e.Id == entry.Id)) errors = [$"{CatalogLoader.EntryFile}: another folder has the id '{entry.Id}'; only the first is listed."];
            if (errors.Count > 0) broken.Add(new BrokenCatalogEntry($"{source}/{folder}", source, folder, errors));
            else entries.Add(entry!);
        }
        return new SourceEntries(entries.OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ToList(), broken);
    }

    private static IReadOnlyList<string> WorkloadProblems(CatalogEntry entry, WorkloadRules rules)
    {
        // Placeholders become text on the same line, so the lines of the filled-in workload are the template's.
        var values = entry.Parameters.Where(p => !p.GeneratesSecret).ToDictionary(p => p.Id, p => p.Default ?? "value");
        var load = WorkloadLoader.Load(CatalogTemplate.Render(entry, values), rules);
        if (!load.IsValid) return load.Errors.Select(Describe).ToList();
        var generated = entry.Parameters.Where(p => p.GeneratesSecret).Select(p => p.Id).ToList();
        var (_, errors) = WorkloadProjection.Read(load.Workload!, load.Source, generated);
        return errors.Select(Describe).ToList();
    }

    private static string Describe(WorkloadError error) => error.Position is { } p
        ? $"{CatalogLoader.WorkloadFile}:{p.Line}:{p.Column}: {error.Message}"
        : $"{CatalogLoader.WorkloadFile}: {error.Message}";
}
