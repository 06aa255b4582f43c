namespace Paddock.Portal.Features.Catalog;

public sealed record CatalogParameterView(string Id, string Label, string? Help, string? Default, string? Pattern, bool Generated)
{
    public static CatalogParameterView Of(CatalogParameter p) => new(p.Id, p.Label, p.Help, p.Default, p.Pattern, p.GeneratesSecret);
}

/// <param name="Workload">The entry's Score template (<c>score.yaml</c>), only in the answer for one entry.</param>
/// <param name="Source">The git catalog the entry comes from; null for the built-in catalog.</param>
/// <param name="Problems">Only for an entry folder of a git catalog that does not validate (not installable): each
/// problem with its file and line.</param>
public sealed record CatalogEntryView(
    string Id, string Name, string Version, string Description, string? IconUrl, IReadOnlyList<CatalogParameterView> Parameters,
    IReadOnlyDictionary<string, string> Images, string? Workload = null, string? Source = null, IReadOnlyList<string>? Problems = null)
{
    /// <summary>Listed, not installable: see <see cref="Problems"/>.</summary>
    public bool Broken => Problems is { Count: > 0 };

    public static CatalogEntryView Of(CatalogEntry entry, bool withWorkload = false) => new(
        entry.Id, entry.Name, entry.Version.Text, entry.Description, entry.IconSvg is null ? null : $"/api/v1/catalog/{entry.Id}/icon",
        entry.Parameters.Select(CatalogParameterView.Of).ToList(), entry.Images, withWorkload ? entry.WorkloadTemplate : null, entry.Source);

    public static CatalogEntryView Of(BrokenCatalogEntry entry) => new(
        entry.Id, entry.Folder, "", "", null, [], new Dictionary<string, string>(), Source: entry.Source, Problems: entry.Problems);
}

/// <summary>What an environment runs from the catalog: the entry and version of its last applied install, and the
/// catalog's version when it is newer (<see cref="UpgradeTo"/>).</summary>
public sealed record InstalledEntryView(string App, string Environment, string Entry, string Version, string? UpgradeTo, DateTime InstalledAt, string InstalledBy);
