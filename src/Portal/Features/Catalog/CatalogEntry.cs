namespace Paddock.Portal.Features.Catalog;

/// <summary>One app of the catalog: a Score workload template (<see cref="WorkloadTemplate"/>, the entry's
/// <c>score.yaml</c>) with its parameters, the images it runs and what people see of it.</summary>
/// <param name="Images">Image references by the key the template names them with (<c>${images.KEY}</c>), after the
/// configured substitutions (<c>Paddock:Catalog:Images:{entry}:{key}</c>).</param>
/// <param name="IconSvg">The entry's icon (an SVG file in its folder), or null.</param>
/// <param name="Source">The git catalog it comes from (<see cref="Paddock.Domain.Catalog.CatalogSource"/>'s name, also the
/// prefix of <see cref="Id"/>), or null for the built-in catalog.</param>
public sealed record CatalogEntry(
    string Id,
    string Name,
    CatalogVersion Version,
    string Description,
    string? IconSvg,
    IReadOnlyList<CatalogParameter> Parameters,
    IReadOnlyDictionary<string, string> Images,
    string WorkloadTemplate,
    string? Source = null);

/// <summary>An entry folder of a git catalog that does not read or validate: listed with why, never installable.</summary>
/// <param name="Id">The id it would have (<c>{source}/{folder}</c>, the folder's name when its own id is unusable).</param>
/// <param name="Problems">Each naming its file and, where known, its line.</param>
public sealed record BrokenCatalogEntry(string Id, string Source, string Folder, IReadOnlyList<string> Problems);

/// <summary>A value the installer supplies (checked against <see cref="Pattern"/>, which must match the whole value),
/// or, with <see cref="GeneratesSecret"/>, a secret Paddock generates once per app and keeps across upgrades. A
/// generated secret is an app secret named <see cref="Id"/>; the template passes it on as
/// <c>ID: ${resources.env.ID}</c>, never by value.</summary>
public sealed record CatalogParameter(string Id, string Label, string? Help, string? Default, string? Pattern, bool GeneratesSecret);
