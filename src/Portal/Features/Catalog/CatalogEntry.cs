namespace Paddock.Portal.Features.Catalog;

/// <summary>One app of the catalog: a Score workload template (<see cref="WorkloadTemplate"/>, the entry's
/// <c>score.yaml</c>) with its parameters, the images it runs and what people see of it.</summary>
/// <param name="Images">Image references by the key the template names them with (<c>${images.KEY}</c>), after the
/// configured substitutions (<c>Paddock:Catalog:Images:{entry}:{key}</c>).</param>
/// <param name="IconSvg">The entry's icon (an SVG file in its folder), or null.</param>
public sealed record CatalogEntry(
    string Id,
    string Name,
    CatalogVersion Version,
    string Description,
    string? IconSvg,
    IReadOnlyList<CatalogParameter> Parameters,
    IReadOnlyDictionary<string, string> Images,
    string WorkloadTemplate);

/// <summary>A value the installer supplies (checked against <see cref="Pattern"/>, which must match the whole value),
/// or, with <see cref="GeneratesSecret"/>, a secret Paddock generates once per app and keeps across upgrades. A
/// generated secret is an app secret named <see cref="Id"/>; the template passes it on as
/// <c>ID: ${resources.env.ID}</c>, never by value.</summary>
public sealed record CatalogParameter(string Id, string Label, string? Help, string? Default, string? Pattern, bool GeneratesSecret);
